package io.romadr.activities.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
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
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * RegistryImageActivities between two real registries ({@link RegistryServer}); images built by the real engine and
 * pushed with the docker CLI where the engine's own output matters, else pushed through the registry API.
 */
@org.junit.jupiter.api.Tag("integration")
class RegistryImageActivitiesTest {
    private static final String REPO = "roma-builder";
    private final RegistryImageActivities activities = new RegistryImageActivities(name -> null);

    @Test
    void mirrorAddsTimestampAndReleaseTagsASecondRunSendsNothingAndAChangedImageOnlyItsNewBlobs()
            throws Exception {
        DockerClient docker = TestImages.docker();
        String id = UUID.randomUUID().toString().substring(0, 8);
        String v1 = TestImages.build(docker, "roma-dr/image-activities:" + id + "-v1", "v1-" + id, 1, 1);
        String v2 = TestImages.build(docker, "roma-dr/image-activities:" + id + "-v2", "v2-" + id, 1, 1);
        try (RegistryServer primary = RegistryServer.start(); RegistryServer backup = RegistryServer.start()) {
            String latest = primary.hostAndPort() + "/" + REPO + ":latest";
            String stable = primary.hostAndPort() + "/" + REPO + ":stable";
            try {
                dockerPush(v1, latest);
                dockerPush(v1, stable);
                RegistryClient src = client(primary);
                RegistryClient dst = client(backup);
                Manifest image1 = src.getManifest(REPO, "latest");
                ImageBackupSpec spec = spec(primary, backup, List.of("latest", "stable"), "1.0.0", null);

                // first run inside a Temporal activity context: it heartbeats
                List<Object> beats = new CopyOnWriteArrayList<>();
                ImageMirrorResult first;
                TestActivityEnvironment env = TestActivityEnvironment.newInstance();
                try {
                    env.registerActivitiesImplementations(activities);
                    env.setActivityHeartbeatListener(Object.class, beats::add);
                    first = env.newActivityStub(ImageMirrorActivities.class)
                            .mirrorRepository(new ImageMirrorRequest("p", spec, REPO, "20261127-010000"));
                } finally {
                    env.close();
                }
                assertTrue(first.ok(), first.toString());
                assertFalse(beats.isEmpty(), "the mirror heartbeats");
                assertEquals(image1.blobs().size(), first.blobsSent(), "every blob once: latest and stable share");
                assertEquals(List.of("20261127-010000", "1.0.0"), first.extraTags());
                for (String tag : List.of("latest", "stable", "20261127-010000", "1.0.0")) {
                    assertEquals(Optional.of(image1.digest()), dst.manifestDigest(REPO, tag), tag);
                }
                assertEquals(image1.digest(), first.tags().get(0).digest());

                // second run, nothing changed: no blob sent (result and the backup's access log), no new tag
                String before = backup.logThroughMarker();
                ImageMirrorResult second = activities.mirrorRepository(
                        new ImageMirrorRequest("p", spec, REPO, "20261127-020000"));
                String window = backup.logThroughMarker().substring(before.length());
                assertTrue(second.ok(), second.toString());
                assertEquals(0, second.blobsSent());
                assertEquals(0, second.bytesSent());
                assertEquals(2 * image1.blobs().size(), second.blobsSkipped());
                assertEquals(List.of(), second.extraTags());
                assertTrue(window.contains("HEAD /v2/" + REPO + "/blobs/sha256:"), "the window holds the HEADs:\n"
                        + window);
                List<String> writes = window.lines().filter(l -> l.contains("/blobs/")
                        && (l.contains("\"PUT ") || l.contains("\"PATCH ") || l.contains("\"POST "))).toList();
                assertEquals(List.of(), writes, "no blob upload in the second run");
                assertEquals(Set.of("latest", "stable", "20261127-010000", "1.0.0"),
                        new HashSet<>(dst.listTags(REPO)));

                // the primary's latest moves on: a new timestamp tag, only the new blobs, the release stays put
                dockerPush(v2, latest);
                Manifest image2 = src.getManifest(REPO, "latest");
                Set<String> oldBlobs = image1.blobs().stream().map(Descriptor::digest).collect(Collectors.toSet());
                long newBlobs = image2.blobs().stream().filter(b -> !oldBlobs.contains(b.digest())).count();
                assertTrue(newBlobs > 0 && newBlobs < image2.blobs().size(), "v2 shares the base layer only");
                ImageMirrorResult third = activities.mirrorRepository(
                        new ImageMirrorRequest("p", spec, REPO, "20261127-030000"));
                assertEquals(newBlobs, third.blobsSent());
                assertEquals(List.of("20261127-030000"), third.extraTags());
                assertEquals(Optional.of(image2.digest()), dst.manifestDigest(REPO, "latest"));
                assertEquals(Optional.of(image2.digest()), dst.manifestDigest(REPO, "20261127-030000"));
                assertEquals(Optional.of(image1.digest()), dst.manifestDigest(REPO, "stable"));
                assertEquals(Optional.of(image1.digest()), dst.manifestDigest(REPO, "1.0.0"), "releases never move");
                ImageTagCopy release = row(third, "1.0.0");
                assertTrue(release.problem().contains("release tag 1.0.0 already names " + image1.digest())
                        && release.problem().contains(image2.digest()), release.problem());
                assertTrue(row(third, "latest").ok() && row(third, "stable").ok(), third.toString());
                assertFalse(third.ok());
            } finally {
                TestImages.removeQuietly(latest, stable);
            }
        } finally {
            TestImages.removeQuietly(v1, v2);
        }
    }

    @Test
    void releaseTagComesFromTheOciVersionLabelWhenThePlanNamesNone() throws Exception {
        TestImages.docker();
        String id = UUID.randomUUID().toString().substring(0, 8);
        String local = "roma-dr/image-activities:" + id + "-label";
        Path ctx = Files.createTempDirectory("roma-label");
        try (RegistryServer primary = RegistryServer.start(); RegistryServer backup = RegistryServer.start()) {
            Files.writeString(ctx.resolve("Dockerfile"), "FROM roma-dr/sandbox:busybox\nLABEL "
                    + RegistryImageActivities.VERSION_LABEL + "=2.3.4 roma.test=" + id + "\n");
            TestImages.cli("build", "-q", "-t", local, ctx.toString());
            String remote = primary.hostAndPort() + "/" + REPO + ":latest";
            try {
                dockerPush(local, remote);
                ImageMirrorResult result = activities.mirrorRepository(new ImageMirrorRequest("p",
                        spec(primary, backup, List.of("latest"), null, null), REPO, "20261127-010000"));
                assertTrue(result.ok(), result.toString());
                assertEquals(List.of("20261127-010000", "2.3.4"), result.extraTags());
                String digest = client(primary).manifestDigest(REPO, "latest").orElseThrow();
                assertEquals(Optional.of(digest), client(backup).manifestDigest(REPO, "2.3.4"));
            } finally {
                TestImages.removeQuietly(remote);
            }
        } finally {
            TestImages.removeQuietly(local);
            Files.deleteIfExists(ctx.resolve("Dockerfile"));
            Files.deleteIfExists(ctx);
        }
    }

    @Test
    void anIndexGetsItsFirstChildsVersionLabelAsReleaseAndIntegrityFollowsItsChildren() throws Exception {
        try (RegistryServer primary = RegistryServer.start(); RegistryServer backup = RegistryServer.start()) {
            RegistryClient src = client(primary);
            Manifest amd64 = src.getManifest(REPO, apiImage(src, "amd64", "amd64", "3.1.0"));
            Manifest arm64 = src.getManifest(REPO, apiImage(src, "arm64", "arm64", "3.1.0"));
            byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.OCI_INDEX + "\",\"manifests\":["
                    + ImageMirrorTest.json(new Descriptor(Manifest.OCI_MANIFEST, amd64.digest(), amd64.bytes().length))
                    + "," + ImageMirrorTest.json(new Descriptor(Manifest.OCI_MANIFEST, arm64.digest(),
                            arm64.bytes().length))
                    + "]}").getBytes(StandardCharsets.UTF_8);
            String indexDigest = Digests.of(index);
            src.putManifest(REPO, "latest", new Manifest(Manifest.OCI_INDEX, indexDigest, index));
            ImageBackupSpec spec = spec(primary, backup, List.of("latest"), null, null);

            ImageMirrorResult result = activities.mirrorRepository(new ImageMirrorRequest("p", spec, REPO,
                    "20261127-010000"));
            assertTrue(result.ok(), result.toString());
            assertEquals(4, result.blobsSent(), "two configs and two layers");
            assertEquals(List.of("20261127-010000", "3.1.0"), result.extraTags());
            assertEquals(Optional.of(indexDigest), client(backup).manifestDigest(REPO, "3.1.0"));
            List<VerificationRow> ok = activities.checkImages(new ImageCheckRequest("p", spec));
            assertEquals(VerificationStatus.OK, ok.get(1).status(), ok.toString());
            assertTrue(ok.get(1).evidence().contains("3 manifests digest-verified, 4 blobs present"), ok.toString());

            // the second child's layer vanishes from the backup's storage
            String layer = arm64.blobs().get(1).digest();
            Files.delete(backup.blobFile(layer));
            VerificationRow corrupt = activities.checkImages(new ImageCheckRequest("p", spec)).get(1);
            assertEquals(VerificationStatus.CORRUPT, corrupt.status(), corrupt.toString());
            assertTrue(corrupt.evidence().contains("blob " + layer + " of latest (manifest " + arm64.digest()),
                    corrupt.evidence());
        }
    }

    @Test
    void aTagMissingInThePrimaryIsReportedOnThatTagOnly() throws Exception {
        try (RegistryServer primary = RegistryServer.start(); RegistryServer backup = RegistryServer.start()) {
            String digest = apiImage(client(primary), "latest", "one");
            ImageMirrorResult result = activities.mirrorRepository(new ImageMirrorRequest("p",
                    spec(primary, backup, List.of("latest", "1.0.0"), null, null), REPO, "20261127-010000"));
            assertEquals("tag 1.0.0 not found in primary " + primary.url() + "/" + REPO,
                    row(result, "1.0.0").problem());
            assertTrue(row(result, "latest").ok(), result.toString());
            assertEquals("", result.problem());
            assertEquals(List.of("20261127-010000"), result.extraTags());
            RegistryClient dst = client(backup);
            assertEquals(Optional.of(digest), dst.manifestDigest(REPO, "latest"));
            assertEquals(Optional.empty(), dst.manifestDigest(REPO, "1.0.0"));
        }
    }

    @Test
    void retentionKeepsTheNewestThreeTimestampTagsAndEveryImageAPlanOrReleaseTagNames() throws Exception {
        try (RegistryServer backup = RegistryServer.start()) {
            RegistryClient dst = client(backup);
            List<String> stamps = List.of("20261123-010000", "20261124-010000", "20261125-010000",
                    "20261126-010000", "20261127-010000");
            Map<String, String> digests = new java.util.HashMap<>();
            // pushed out of order: newest is by the name, not the push time
            for (int i : new int[]{3, 0, 4, 1, 2}) {
                digests.put(stamps.get(i), apiImage(dst, stamps.get(i), "image-" + i));
            }
            dst.putManifest(REPO, "latest", dst.getManifest(REPO, stamps.get(4)));
            dst.putManifest(REPO, "1.0.0", dst.getManifest(REPO, stamps.get(0))); // the release: oldest image
            String stable = apiImage(dst, "stable", "stable-only");
            // a plan tag shaped like a timestamp (the oldest of all) is still a plan tag: never a retention victim
            String pinned = apiImage(dst, "20261101-000000", "pinned");

            ImageRetentionResult result = activities.applyImageRetention(new ImageRetentionRequest("p",
                    spec(backup, backup, List.of("latest", "stable", "20261101-000000"), "1.0.0", 3), REPO));

            assertEquals(List.of(stamps.get(1)), result.deletedTags());
            assertEquals(List.of(stamps.get(0)), result.protectedTags());
            assertEquals(1, result.deletedManifests());
            assertEquals(Set.of(stamps.get(0), stamps.get(2), stamps.get(3), stamps.get(4), "latest", "stable",
                    "1.0.0", "20261101-000000"), new HashSet<>(dst.listTags(REPO)));
            assertEquals(Optional.of(pinned), dst.manifestDigest(REPO, "20261101-000000"));
            assertEquals(Optional.empty(), dst.manifestDigest(REPO, digests.get(stamps.get(1))));
            assertEquals(Optional.of(stable), dst.manifestDigest(REPO, "stable"));
            assertEquals(Optional.of(digests.get(stamps.get(0))), dst.manifestDigest(REPO, "1.0.0"));
        }
    }

    @Test
    void checkImagesFindsFreshThenACorruptBlobThenAStaleTagThenAMissingOneAndCopesWithoutThePrimary()
            throws Exception {
        try (RegistryServer backup = RegistryServer.start()) {
            RegistryServer primary = RegistryServer.start();
            try {
                RegistryClient src = client(primary);
                String digest = apiImage(src, "latest", "fresh");
                ImageBackupSpec spec = spec(primary, backup, List.of("latest"), null, null);
                assertTrue(activities.mirrorRepository(new ImageMirrorRequest("p", spec, REPO, "20261127-010000"))
                        .ok());
                ImageCheckRequest check = new ImageCheckRequest("p", spec);

                List<VerificationRow> fresh = activities.checkImages(check);
                assertEquals(List.of("freshness " + REPO, "integrity " + REPO),
                        fresh.stream().map(VerificationRow::check).toList());
                assertTrue(fresh.stream().allMatch(r -> r.kind().equals("images")
                        && r.status() == VerificationStatus.OK), fresh.toString());
                assertTrue(fresh.get(0).evidence().contains("latest " + digest + " = primary"), fresh.toString());

                // a layer's data file vanishes from the backup's storage
                Descriptor layer = client(backup).getManifest(REPO, "latest").blobs().get(1);
                Files.delete(backup.blobFile(layer.digest()));
                List<VerificationRow> corrupt = activities.checkImages(check);
                assertEquals(VerificationStatus.OK, corrupt.get(0).status(), corrupt.toString());
                assertEquals(VerificationStatus.CORRUPT, corrupt.get(1).status(), corrupt.toString());
                assertTrue(corrupt.get(1).evidence().contains("blob " + layer.digest()), corrupt.toString());

                // the primary moves on
                String moved = apiImage(src, "latest", "moved-on");
                VerificationRow stale = activities.checkImages(check).get(0);
                assertEquals(VerificationStatus.STALE, stale.status(), stale.toString());
                assertTrue(stale.evidence().contains("backup " + digest + " != primary " + moved), stale.evidence());

                // a plan tag the backup never got
                apiImage(src, "edge", "edge");
                VerificationRow missing = activities.checkImages(new ImageCheckRequest("p",
                        spec(primary, backup, List.of("latest", "edge"), null, null))).get(0);
                assertEquals(VerificationStatus.MISSING, missing.status(), missing.toString());
                assertTrue(missing.evidence().contains("edge absent in backup"), missing.evidence());
            } finally {
                primary.close();
            }
            // the primary is gone: freshness is judged on the backup alone, and says so
            VerificationRow alone = activities.checkImages(new ImageCheckRequest("p",
                    spec(primary, backup, List.of("latest"), null, null))).get(0);
            assertEquals(VerificationStatus.OK, alone.status(), alone.toString());
            assertTrue(alone.evidence().startsWith("primary " + primary.url() + "/" + REPO + " unreachable")
                    && alone.evidence().contains("checked against the backup alone"), alone.evidence());
        }
    }

    @Test
    void mirrorFailsClearlyWhenTheBackupRegistryIsDown() throws Exception {
        try (RegistryServer primary = RegistryServer.start()) {
            apiImage(client(primary), "latest", "down");
            RegistryServer backup = RegistryServer.start();
            backup.close();
            ApplicationFailure failure = assertThrows(ApplicationFailure.class, () -> activities.mirrorRepository(
                    new ImageMirrorRequest("p", spec(primary, backup, List.of("latest"), null, null), REPO,
                            "20261127-010000")));
            assertFalse(failure.isNonRetryable(), "Temporal retries an unreachable registry");
            assertTrue(failure.getOriginalMessage().contains("registry " + backup.url() + "/ unreachable: "
                    + "ConnectException"), failure.getOriginalMessage());
            assertTrue(failure.getOriginalMessage().startsWith("mirroring " + REPO + " from " + primary.url()),
                    failure.getOriginalMessage());
        }
    }

    @Test
    void aMissingCredentialVariableIsNamedAndNoValueIsShown() {
        String user = "alice-" + UUID.randomUUID();
        RegistryImageActivities withEnv = new RegistryImageActivities(Map.of("REG_USER", user)::get);
        ImageBackupSpec spec = new ImageBackupSpec(new RegistryEndpoint("http://127.0.0.1:9", "REG_USER", "REG_PASS"),
                new RegistryEndpoint("http://127.0.0.1:9", null, null), List.of(REPO), null, null, null);
        ApplicationFailure failure = assertThrows(ApplicationFailure.class, () -> withEnv.mirrorRepository(
                new ImageMirrorRequest("p", spec, REPO, "20261127-010000")));
        assertTrue(failure.isNonRetryable());
        assertEquals("environment variable REG_PASS (passwordEnv of the primary registry http://127.0.0.1:9) is not "
                + "set on the worker", failure.getOriginalMessage());
        assertFalse(failure.getMessage().contains(user));
    }

    private static void dockerPush(String local, String remote) throws Exception {
        TestImages.cli("tag", local, remote);
        TestImages.cli("push", "-q", remote);
    }

    private static String apiImage(RegistryClient registry, String tag, String marker) {
        return apiImage(registry, tag, marker, null);
    }

    /**
     * Pushes a one-layer OCI image through the API (config labels: {@code marker}, and {@code version} as the OCI
     * version label unless null) and tags it; its digest.
     */
    private static String apiImage(RegistryClient registry, String tag, String marker, String version) {
        String labels = "{\"roma.marker\":\"" + marker + "\""
                + (version == null ? "" : ",\"" + RegistryImageActivities.VERSION_LABEL + "\":\"" + version + "\"")
                + "}";
        Descriptor config = ImageMirrorTest.push(registry, REPO, ("{\"architecture\":\"amd64\",\"os\":\"linux\","
                + "\"config\":{\"Labels\":" + labels + "}}").getBytes(StandardCharsets.UTF_8),
                "application/vnd.oci.image.config.v1+json");
        Descriptor layer = ImageMirrorTest.push(registry, REPO, (marker + "-layer-" + UUID.randomUUID())
                .getBytes(StandardCharsets.UTF_8), "application/vnd.oci.image.layer.v1.tar+gzip");
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.OCI_MANIFEST + "\",\"config\":"
                + ImageMirrorTest.json(config) + ",\"layers\":[" + ImageMirrorTest.json(layer) + "]}")
                .getBytes(StandardCharsets.UTF_8);
        String digest = Digests.of(manifest);
        assertEquals(digest, registry.putManifest(REPO, tag, new Manifest(Manifest.OCI_MANIFEST, digest, manifest)));
        return digest;
    }

    @Test
    void pushedTagsAreMirroredAsThemselvesBesideThePlansTags() throws Exception {
        try (RegistryServer primary = RegistryServer.start(); RegistryServer backup = RegistryServer.start()) {
            RegistryClient src = client(primary);
            RegistryClient dst = client(backup);
            String latest = ApiImages.push(src, REPO, "latest", 4096, 1);
            String pushed = ApiImages.push(src, REPO, "1.4.0", 4096, 2);
            ImageBackupSpec spec = spec(primary, backup, List.of("latest"), null, null);
            // "latest" is a plan tag already; "gone" was deleted from the primary after its push; "bad tag" is no tag
            ImageMirrorResult result = activities.mirrorRepository(new ImageMirrorRequest("p", spec, REPO,
                    "20261207-120000", List.of("1.4.0", "latest", "gone", "bad tag")));
            assertTrue(result.ok(), result.toString());
            assertEquals(List.of("latest", "1.4.0"), result.tags().stream().map(ImageTagCopy::tag).toList());
            assertEquals(Optional.of(pushed), dst.manifestDigest(REPO, "1.4.0"), "mirrored as itself");
            assertEquals(Optional.of(latest), dst.manifestDigest(REPO, "latest"));
            // the deployment tag's timestamp tag names latest, not the pushed image
            assertEquals(List.of("20261207-120000"), result.extraTags());
            assertEquals(Optional.of(latest), dst.manifestDigest(REPO, "20261207-120000"));
            assertEquals(Set.of("latest", "1.4.0", "20261207-120000"), new HashSet<>(dst.listTags(REPO)));
        }
    }

    private static ImageBackupSpec spec(RegistryServer primary, RegistryServer backup, List<String> tags,
            String release, Integer keep) {
        return new ImageBackupSpec(new RegistryEndpoint(primary.url().toString(), null, null),
                new RegistryEndpoint(backup.url().toString(), null, null), List.of(REPO), tags, release, keep);
    }

    private static RegistryClient client(RegistryServer server) {
        return new RegistryClient(server.url(), RegistryCredentials.NONE);
    }

    private static ImageTagCopy row(ImageMirrorResult result, String tag) {
        return result.tags().stream().filter(t -> t.tag().equals(tag)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + tag + " in " + result));
    }
}
