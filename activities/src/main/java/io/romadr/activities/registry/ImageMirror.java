package io.romadr.activities.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Copies image tags from one registry repository to another through the registry API: blobs the target lacks
 * (streamed, digest-checked), then child manifests by digest, then the tag and the extra tags. The target's digest
 * must equal the source's. A failing tag is reported and the others still go; nothing is tagged on the target for a
 * tag whose content could not be copied intact.
 */
public final class ImageMirror {
    public static final int DEFAULT_PARALLELISM = 4;

    private final int parallelism;

    public ImageMirror() {
        this(DEFAULT_PARALLELISM);
    }

    /** {@code parallelism}: how many blobs are copied at once. */
    public ImageMirror(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        this.parallelism = parallelism;
    }

    /** A registry and a repository in it. */
    public record Endpoint(RegistryClient registry, String repository) {
    }

    public MirrorReport mirror(Endpoint source, Endpoint target, List<String> tags, List<String> extraTags,
            Runnable heartbeat) {
        if (tags.size() > 1 && !extraTags.isEmpty()) {
            // each extra tag can name only one image: with several tags the last would silently win
            throw new IllegalArgumentException("extra tags " + extraTags + " need exactly one source tag, got " + tags);
        }
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
                Map<String, Descriptor> blobs = new LinkedHashMap<>();
                for (Manifest image : images) {
                    for (Descriptor blob : image.blobs()) {
                        blobs.putIfAbsent(blob.digest(), blob);
                    }
                }
                copyBlobs(source, target, List.copyOf(blobs.values()), c, heartbeat);
                if (top.isIndex()) {
                    for (Manifest image : images) {
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

    /**
     * Copies the blobs the target lacks, {@link #parallelism} at a time (one stream each: a single TCP stream to a
     * registry leaves most of the link and the registry's hashing idle). The heartbeat stays on the calling thread,
     * where the activity context lives; it beats at least once a second while copies run.
     */
    private void copyBlobs(Endpoint source, Endpoint target, List<Descriptor> blobs, Counters c,
            Runnable heartbeat) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, blobs.size())));
        try {
            List<Future<Boolean>> copies = new ArrayList<>();
            for (Descriptor blob : blobs) {
                copies.add(pool.submit(() -> copyBlob(source, target, blob)));
            }
            for (int i = 0; i < copies.size(); i++) {
                boolean sent = await(copies.get(i), heartbeat);
                if (sent) {
                    c.sent++;
                    c.bytes += blobs.get(i).size();
                } else {
                    c.skipped++;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean await(Future<Boolean> copy, Runnable heartbeat) {
        while (true) {
            try {
                return copy.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                heartbeat.run();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re
                        ? re
                        : new RegistryException(e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException("interrupted while copying blobs", e);
            }
        }
    }

    /** Copies one blob unless the target has it; true when it was sent. */
    private static boolean copyBlob(Endpoint source, Endpoint target, Descriptor blob) {
        if (target.registry().hasBlob(target.repository(), blob.digest())) {
            return false;
        }
        try (InputStream in = source.registry().openBlob(source.repository(), blob, () -> {
        })) {
            target.registry().pushBlob(target.repository(), blob, in, () -> {
            });
        } catch (IOException e) {
            throw new UncheckedIOException("copying blob " + blob.digest(), e);
        }
        return true;
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
