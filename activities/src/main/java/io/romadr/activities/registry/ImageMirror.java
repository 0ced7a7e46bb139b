package io.romadr.activities.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Copies image tags from one registry repository to another through the registry API: blobs the target lacks
 * (streamed, digest-checked), then child manifests by digest, then the tag and the extra tags. The target's digest
 * must equal the source's. A failing tag is reported and the others still go; nothing is tagged on the target for a
 * tag whose content could not be copied intact.
 */
public final class ImageMirror {
    /** A registry and a repository in it. */
    public record Endpoint(RegistryClient registry, String repository) {}

    public MirrorReport mirror(Endpoint source, Endpoint target, List<String> tags, List<String> extraTags,
            Runnable heartbeat) {
        List<MirrorReport.TagResult> results = new ArrayList<>();
        for (String tag : tags) {
            Counters c = new Counters();
            try {
                Manifest top = source.registry().getManifest(source.repository(), tag);
                List<Manifest> images = new ArrayList<>();
                if (top.isIndex()) {
                    for (Descriptor child : top.children()) {
                        images.add(source.registry().getManifest(source.repository(), child.digest()));
                    }
                } else {
                    images.add(top);
                }
                Set<String> done = new HashSet<>();
                for (Manifest image : images) {
                    for (Descriptor blob : image.blobs()) {
                        if (done.add(blob.digest())) {
                            copyBlob(source, target, blob, c, heartbeat);
                        }
                    }
                    if (top.isIndex()) {
                        putVerified(target, image.digest(), image);
                    }
                }
                putVerified(target, tag, top);
                for (String extra : extraTags) {
                    putVerified(target, extra, top);
                }
                heartbeat.run();
                results.add(new MirrorReport.TagResult(tag, top.digest(), c.sent, c.skipped, c.bytes,
                        List.copyOf(extraTags), null));
            } catch (RuntimeException e) {
                results.add(new MirrorReport.TagResult(tag, null, c.sent, c.skipped, c.bytes, List.of(),
                        e.getMessage()));
            }
        }
        return new MirrorReport(results);
    }

    private static void copyBlob(Endpoint source, Endpoint target, Descriptor blob, Counters c, Runnable heartbeat) {
        if (target.registry().hasBlob(target.repository(), blob.digest())) {
            c.skipped++;
            return;
        }
        try (InputStream in = source.registry().openBlob(source.repository(), blob, heartbeat)) {
            target.registry().pushBlob(target.repository(), blob, in, heartbeat);
        } catch (IOException e) {
            throw new UncheckedIOException("copying blob " + blob.digest(), e);
        }
        c.sent++;
        c.bytes += blob.size();
        heartbeat.run();
    }

    private static void putVerified(Endpoint target, String reference, Manifest manifest) {
        String digest = target.registry().putManifest(target.repository(), reference, manifest);
        if (!digest.equals(manifest.digest())) {
            throw new RegistryException("target " + target.repository() + ":" + reference + " has digest " + digest
                    + ", source has " + manifest.digest(), 201);
        }
    }

    private static final class Counters {
        int sent;
        int skipped;
        long bytes;
    }
}
