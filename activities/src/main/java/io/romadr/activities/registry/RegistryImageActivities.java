package io.romadr.activities.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.activities.heartbeat.Heartbeat;
import io.romadr.backup.ImageCheckRequest;
import io.romadr.backup.ImageMirrorActivities;
import io.romadr.backup.ImageMirrorRequest;
import io.romadr.backup.ImageMirrorResult;
import io.romadr.backup.ImageMirrorResult.ImageTagCopy;
import io.romadr.backup.ImageRetentionRequest;
import io.romadr.backup.ImageRetentionResult;
import io.romadr.backup.VerificationRow;
import io.romadr.backup.VerificationStatus;
import io.romadr.plan.ImageBackupSpec;
import io.romadr.plan.RegistryEndpoint;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@link ImageMirrorActivities} over the registries' HTTP API, on {@link ImageMirror} and {@link ImageRetention}.
 * Credentials come from the worker's environment through {@code env} (production: {@code System::getenv}), by the
 * variable names the plan gives; only the names ever appear in messages. An unreachable registry fails the activity
 * (retryable: Temporal tries again); a tag that cannot be copied is reported on that tag and the others still go.
 */
public class RegistryImageActivities implements ImageMirrorActivities {
    static final String VERSION_LABEL = "org.opencontainers.image.version";
    private static final Pattern TIMESTAMP_TAG = Pattern.compile("\\d{8}-\\d{6}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    /** An image config is a few KiB; anything this large is not one. */
    private static final int MAX_CONFIG_BYTES = 4 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<String, String> env;
    private final ImageMirror mirror = new ImageMirror();
    private final ImageRetention retention = new ImageRetention();

    public RegistryImageActivities(Function<String, String> env) {
        this.env = env;
    }

    @Override
    public ImageMirrorResult mirrorRepository(ImageMirrorRequest request) {
        Runnable heartbeat = Heartbeat.ofCurrentActivity().with("mirroring " + request.repository());
        ImageBackupSpec images = request.images();
        String timestampTag = request.timestampTag();
        if (timestampTag == null || !TIMESTAMP_TAG.matcher(timestampTag).matches()) {
            throw ApplicationFailure.newNonRetryableFailure("timestamp tag \"" + timestampTag
                    + "\" is not YYYYMMDD-HHMMSS", "BadImageMirrorRequest");
        }
        String what = "mirroring " + request.repository() + " from " + images.primary().url() + " to "
                + images.backup().url();
        try {
            RegistryClient primary = client(images.primary(), "primary");
            RegistryClient backup = client(images.backup(), "backup");
            return mirror(images, request.repository(), request.pushedTags(), timestampTag, primary, backup,
                    heartbeat);
        } catch (RuntimeException e) {
            throw failure(what, e);
        }
    }

    @Override
    public ImageRetentionResult applyImageRetention(ImageRetentionRequest request) {
        Runnable heartbeat = Heartbeat.ofCurrentActivity().with("image retention of " + request.repository());
        ImageBackupSpec images = request.images();
        String repository = request.repository();
        try {
            RegistryClient backup = client(images.backup(), "backup");
            // the deployment and release tags keep their images whatever they look like
            Set<String> alwaysKept = new HashSet<>(images.tags());
            if (images.release() != null) {
                alwaysKept.add(images.release());
            }
            ImageRetention.RetentionReport report = retention.apply(backup, repository, images.keepPerFamily(),
                    alwaysKept, heartbeat);
            return new ImageRetentionResult(repository, report.deletedTags(), report.protectedTags(),
                    report.deletedManifests());
        } catch (RuntimeException e) {
            throw failure("image retention of " + repository + " in " + images.backup().url(), e);
        }
    }

    @Override
    public List<VerificationRow> checkImages(ImageCheckRequest request) {
        Runnable heartbeat = Heartbeat.ofCurrentActivity().with("checking images");
        ImageBackupSpec images = request.images();
        try {
            RegistryClient primary = client(images.primary(), "primary");
            RegistryClient backup = client(images.backup(), "backup");
            List<VerificationRow> rows = new ArrayList<>();
            for (String repository : images.repositories()) {
                rows.add(freshness(primary, backup, repository, images.tags(), heartbeat));
                rows.add(integrity(backup, repository, images.tags(), heartbeat));
            }
            return rows;
        } catch (RuntimeException e) {
            throw failure("checking images of " + request.plan() + " in " + images.backup().url(), e);
        }
    }

    /**
     * The plan's tags and then the pushed tags that are not among them. A pushed tag the primary no longer has was
     * deleted after its push: there is nothing to mirror, and it is left out rather than failing the run.
     */
    private ImageMirrorResult mirror(ImageBackupSpec images, String repository, List<String> pushedTags,
            String timestampTag, RegistryClient primary, RegistryClient backup, Runnable heartbeat) {
        // both reads throw when a registry is unreachable: the whole activity is retried then
        List<String> backupTags = backup.listTags(repository);
        Map<String, ImageTagCopy> rows = new LinkedHashMap<>();
        List<String> present = new ArrayList<>();
        for (String tag : images.tags()) {
            if (primary.manifestDigest(repository, tag).isPresent()) {
                present.add(tag);
            } else {
                rows.put(tag, new ImageTagCopy(tag, null, 0, 0, 0,
                        "tag " + tag + " not found in primary " + at(primary, repository)));
            }
            heartbeat.run();
        }
        List<String> pushed = new ArrayList<>();
        for (String tag : pushedTags) {
            if (!images.tags().contains(tag) && !pushed.contains(tag) && TAG.matcher(tag).matches()
                    && primary.manifestDigest(repository, tag).isPresent()) {
                pushed.add(tag);
                present.add(tag);
            }
            heartbeat.run();
        }
        MirrorReport report = present.isEmpty()
                ? new MirrorReport(List.of())
                : mirror.mirror(new ImageMirror.Endpoint(primary, repository),
                        new ImageMirror.Endpoint(backup, repository), present, List.of(), heartbeat);
        if (!report.ok()) {
            // a registry that went away mid-copy is a retry, not a per-tag problem: these throw if so
            primary.listTags(repository);
            backup.listTags(repository);
        }
        for (MirrorReport.TagResult t : report.tags()) {
            rows.put(t.tag(), new ImageTagCopy(t.tag(), t.digest(), t.blobsSent(), t.blobsSkipped(), t.bytesSent(),
                    t.ok() ? null : "tag " + t.tag() + " not copied to " + at(backup, repository) + ": " + t.error()));
        }
        List<ImageTagCopy> tags = new ArrayList<>();
        for (String tag : images.tags()) {
            tags.add(rows.get(tag));
        }
        for (String tag : pushed) {
            tags.add(rows.get(tag));
        }
        String deploymentTag = images.tags().get(0);
        ImageTagCopy deployment = rows.get(deploymentTag);
        if (!deployment.ok()) {
            // the row says it too; the problem repeats the cause because a reader may look only here
            return new ImageMirrorResult(repository, tags, List.of(), "deployment tag " + deploymentTag
                    + " not copied, so no timestamp or release tag added: " + deployment.problem());
        }
        // the extra tags name the image the backup now holds under the deployment tag, from its own copy
        Manifest image = backup.getManifest(repository, deployment.digest());
        List<String> extraTags = new ArrayList<>();
        if (!timestampTagNames(backup, repository, backupTags, image.digest(), heartbeat)) {
            tag(backup, repository, timestampTag, image);
            extraTags.add(timestampTag);
        }
        String release = images.release() != null ? images.release() : versionLabel(backup, repository, image);
        if (release != null && !images.tags().contains(release)) {
            if (!TAG.matcher(release).matches()) {
                tags.add(new ImageTagCopy(release, image.digest(), 0, 0, 0, "label " + VERSION_LABEL + " \""
                        + release + "\" of " + deploymentTag + " is not a valid tag; no release tag added"));
            } else {
                Optional<String> existing = backup.manifestDigest(repository, release);
                if (existing.isEmpty()) {
                    tag(backup, repository, release, image);
                    extraTags.add(release);
                } else if (!existing.get().equals(image.digest())) {
                    // releases are immutable: a second image under the same version is a build problem to see
                    tags.add(new ImageTagCopy(release, existing.get(), 0, 0, 0, "release tag " + release
                            + " already names " + existing.get() + " in backup " + at(backup, repository)
                            + "; not moved to " + image.digest() + " (the image of " + deploymentTag + ")"));
                }
            }
        }
        heartbeat.run();
        return new ImageMirrorResult(repository, tags, extraTags, null);
    }

    /** Whether a timestamp tag in the backup already names {@code digest} (newest first: usually the first). */
    private static boolean timestampTagNames(RegistryClient backup, String repository, List<String> backupTags,
            String digest, Runnable heartbeat) {
        List<String> stamps = backupTags.stream().filter(t -> TIMESTAMP_TAG.matcher(t).matches())
                .sorted(Comparator.reverseOrder()).toList();
        for (String stamp : stamps) {
            if (backup.manifestDigest(repository, stamp).filter(digest::equals).isPresent()) {
                return true;
            }
            heartbeat.run();
        }
        return false;
    }

    private static void tag(RegistryClient backup, String repository, String tag, Manifest image) {
        String digest = backup.putManifest(repository, tag, image);
        if (!digest.equals(image.digest())) {
            throw new RegistryException("tagging " + at(backup, repository) + ":" + tag + " gave digest " + digest
                    + ", expected " + image.digest(), 201);
        }
    }

    /** The image's {@code org.opencontainers.image.version} label (first child of an index), or null. */
    private static String versionLabel(RegistryClient backup, String repository, Manifest image) {
        Manifest config = image;
        if (image.isIndex()) {
            List<Descriptor> children = image.children();
            if (children.isEmpty()) {
                return null;
            }
            config = backup.getManifest(repository, children.get(0).digest());
        }
        List<Descriptor> blobs = config.blobs();
        if (blobs.isEmpty() || blobs.get(0).size() > MAX_CONFIG_BYTES) {
            return null;
        }
        try (InputStream in = backup.openBlob(repository, blobs.get(0), () -> {
        })) {
            JsonNode labels = JSON.readTree(in.readNBytes(MAX_CONFIG_BYTES)).path("config").path("Labels");
            String version = labels.path(VERSION_LABEL).asText("");
            return version.isEmpty() ? null : version;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the config " + blobs.get(0).digest() + " of "
                    + at(backup, repository) + "@" + image.digest(), e);
        }
    }

    private static VerificationRow freshness(RegistryClient primary, RegistryClient backup, String repository,
            List<String> tags, Runnable heartbeat) {
        String check = "freshness " + repository;
        Map<String, Optional<String>> inBackup = new LinkedHashMap<>();
        try {
            for (String tag : tags) {
                inBackup.put(tag, backup.manifestDigest(repository, tag));
                heartbeat.run();
            }
        } catch (RegistryException e) {
            return new VerificationRow("images", check, VerificationStatus.MISSING, "backup "
                    + at(backup, repository) + " could not be read: " + e.getMessage());
        }
        Map<String, Optional<String>> inPrimary = new LinkedHashMap<>();
        String primaryDown = null;
        try {
            for (String tag : tags) {
                inPrimary.put(tag, primary.manifestDigest(repository, tag));
                heartbeat.run();
            }
        } catch (RegistryException e) {
            primaryDown = e.getMessage();
        }
        List<String> missing = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        List<String> fine = new ArrayList<>();
        for (String tag : tags) {
            Optional<String> b = inBackup.get(tag);
            Optional<String> p = primaryDown == null ? inPrimary.get(tag) : Optional.empty();
            if (b.isEmpty()) {
                missing.add(tag + " absent in backup" + p.map(d -> " (primary has " + d + ")").orElse(""));
            } else if (primaryDown != null) {
                fine.add(tag + " " + b.get() + " in backup");
            } else if (p.isEmpty()) {
                fine.add(tag + " " + b.get() + " in backup, tag absent in primary");
            } else if (!p.get().equals(b.get())) {
                stale.add(tag + " backup " + b.get() + " != primary " + p.get());
            } else {
                fine.add(tag + " " + b.get() + " = primary");
            }
        }
        VerificationStatus status = !missing.isEmpty()
                ? VerificationStatus.MISSING
                : !stale.isEmpty() ? VerificationStatus.STALE : VerificationStatus.OK;
        List<String> evidence = new ArrayList<>();
        if (primaryDown != null) {
            evidence.add("primary " + at(primary, repository) + " unreachable (" + primaryDown
                    + "), checked against the backup alone");
        }
        evidence.addAll(missing);
        evidence.addAll(stale);
        evidence.addAll(fine);
        return new VerificationRow("images", check, status, String.join("; ", evidence));
    }

    private static VerificationRow integrity(RegistryClient backup, String repository, List<String> tags,
            Runnable heartbeat) {
        String check = "integrity " + repository;
        List<String> problems = new ArrayList<>();
        Set<String> manifests = new HashSet<>();
        Set<String> blobs = new HashSet<>();
        int checkedTags = 0;
        try {
            for (String tag : tags) {
                Optional<String> digest = backup.manifestDigest(repository, tag);
                if (digest.isEmpty()) {
                    continue; // freshness reports it as MISSING
                }
                checkedTags++;
                List<Manifest> images = new ArrayList<>();
                try {
                    Manifest top = backup.getManifest(repository, digest.get()); // verified against the digest
                    manifests.add(top.digest());
                    for (Descriptor child : top.children()) {
                        images.add(backup.getManifest(repository, child.digest()));
                        manifests.add(child.digest());
                    }
                    if (!top.isIndex()) {
                        images.add(top);
                    }
                } catch (RegistryException e) {
                    if (unreachable(e)) {
                        throw e;
                    }
                    problems.add("tag " + tag + ": " + e.getMessage());
                    continue;
                }
                for (Manifest image : images) {
                    for (Descriptor blob : image.blobs()) {
                        if (blobs.add(blob.digest()) && !backup.hasBlob(repository, blob.digest())) {
                            problems.add("blob " + blob.digest() + " of " + tag + " (manifest " + image.digest()
                                    + ") missing from the backup");
                        }
                    }
                    heartbeat.run();
                }
            }
        } catch (RegistryException e) {
            return new VerificationRow("images", check, VerificationStatus.MISSING, "backup "
                    + at(backup, repository) + " could not be read: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            return new VerificationRow("images", check, VerificationStatus.CORRUPT, String.join("; ", problems));
        }
        return new VerificationRow("images", check, VerificationStatus.OK, "plan tags present: " + checkedTags
                + " in " + at(backup, repository) + ": " + manifests.size() + " manifests digest-verified, "
                + blobs.size() + " blobs present");
    }

    private static boolean unreachable(RegistryException e) {
        return e.status() < 0 && e.getCause() instanceof IOException;
    }

    private RegistryClient client(RegistryEndpoint endpoint, String role) {
        return RegistryClient.forEndpoint(endpoint, role, env);
    }

    /** {@code http://host:port/repository}, as messages name a repository. */
    private static String at(RegistryClient registry, String repository) {
        return registry.base() + repository;
    }

    private static RuntimeException failure(String what, RuntimeException e) {
        if (e instanceof ActivityCompletionException || e instanceof ApplicationFailure) {
            return e; // cancellation and already-shaped failures pass through
        }
        if (e instanceof IllegalArgumentException) {
            return ApplicationFailure.newNonRetryableFailureWithCause(what + " failed: " + e.getMessage(),
                    "BadImageMirrorRequest", e);
        }
        return ApplicationFailure.newFailureWithCause(what + " failed: " + e.getMessage(), "RegistryError", e);
    }
}
