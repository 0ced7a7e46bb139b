package io.romadr.activities.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** ImageMirror between two real registries on loopback, with the real engine pushing and pulling. */
@org.junit.jupiter.api.Tag("integration")
class ImageMirrorTest {
    private final ImageMirror mirror = new ImageMirror();

    @Test
    void pushedImageIsMirroredPulledAndRunFromTheBackupAndASecondRunSendsNothing() throws Exception {
        DockerClient docker = TestImages.docker();
        String id = UUID.randomUUID().toString().substring(0, 8);
        String marker = "roma-mirror-marker-" + id;
        String local = TestImages.build(docker, "roma-dr/mirror-test:" + id, marker, 2, 1);
        try (RegistryServer primary = RegistryServer.start(); RegistryServer backup = RegistryServer.start()) {
            EngineImages engine = new EngineImages(docker);
            AtomicInteger beats = new AtomicInteger();
            String pushed = engine.push(local, primary.hostAndPort(), "shop/app", "1.4.2", beats::incrementAndGet);
            RegistryClient src = new RegistryClient(primary.url(), RegistryCredentials.NONE);
            RegistryClient dst = new RegistryClient(backup.url(), RegistryCredentials.NONE);
            Manifest source = src.getManifest("shop/app", "1.4.2");
            assertFalse(source.isIndex());
            int blobs = source.blobs().size();
            assertEquals(5, blobs, "config + busybox + 2 data layers + marker layer");

            List<String> extra = List.of("20261127-011500", "release-1.4.2");
            MirrorReport first = mirror.mirror(new ImageMirror.Endpoint(src, "shop/app"),
                    new ImageMirror.Endpoint(dst, "dr/app"), List.of("1.4.2"), extra, beats::incrementAndGet);
            assertTrue(first.ok(), first.toString());
            assertEquals(blobs, first.blobsSent());
            assertEquals(0, first.blobsSkipped());
            long expectedBytes = source.blobs().stream().mapToLong(Descriptor::size).sum();
            assertEquals(expectedBytes, first.bytesSent());
            assertEquals(source.digest(), first.tags().get(0).digest());
            for (String tag : List.of("1.4.2", "20261127-011500", "release-1.4.2")) {
                assertEquals(Optional.of(source.digest()), dst.manifestDigest("dr/app", tag), tag);
            }
            assertTrue(beats.get() > 0);

            // the engine gets the image back from the backup only
            TestImages.cli("rmi", local, pushed);
            String fromBackup = engine.pull(backup.hostAndPort(), "dr/app", "20261127-011500", () -> {
            });
            try {
                String out = TestImages.cli("run", "--rm", fromBackup);
                assertTrue(out.contains(marker), out);
            } finally {
                TestImages.removeQuietly(fromBackup);
            }

            // second run: nothing changed, so nothing is uploaded (counters and the backup's own access log)
            String before = backup.logThroughMarker();
            MirrorReport second = mirror.mirror(new ImageMirror.Endpoint(src, "shop/app"),
                    new ImageMirror.Endpoint(dst, "dr/app"), List.of("1.4.2"), extra, () -> {
                    });
            String after = backup.logThroughMarker();
            assertTrue(second.ok(), second.toString());
            assertEquals(0, second.blobsSent());
            assertEquals(0, second.bytesSent());
            assertEquals(blobs, second.blobsSkipped());
            String window = after.substring(before.length());
            assertTrue(window.contains("HEAD /v2/dr/app/blobs/sha256:"), "the window should hold the HEADs:\n"
                    + window);
            assertFalse(window.contains("/blobs/uploads"), "no upload in the second run:\n" + window);
            assertTrue(before.contains("/v2/dr/app/blobs/uploads/"), "the first run did upload");
        } finally {
            TestImages.removeQuietly(local);
        }
    }

    @Test
    void ociIndexIsMirroredWithItsChildren() throws Exception {
        try (RegistryServer primary = RegistryServer.start(); RegistryServer backup = RegistryServer.start()) {
            RegistryClient src = new RegistryClient(primary.url(), RegistryCredentials.NONE);
            RegistryClient dst = new RegistryClient(backup.url(), RegistryCredentials.NONE);
            List<String> children = new ArrayList<>();
            List<Descriptor> childBlobs = new ArrayList<>();
            StringBuilder index = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.OCI_INDEX
                    + "\",\"manifests\":[");
            String[] arches = {"amd64", "arm64"};
            for (int i = 0; i < arches.length; i++) {
                Descriptor config = push(src, "multi", ("{\"architecture\":\"" + arches[i]
                        + "\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}")
                        .getBytes(StandardCharsets.UTF_8), "application/vnd.oci.image.config.v1+json");
                Descriptor layer = push(src, "multi", random(200_000 + i),
                        "application/vnd.oci.image.layer.v1.tar+gzip");
                childBlobs.add(config);
                childBlobs.add(layer);
                byte[] child = ("{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.OCI_MANIFEST + "\",\"config\":"
                        + json(config) + ",\"layers\":[" + json(layer) + "]}").getBytes(StandardCharsets.UTF_8);
                String digest = Digests.of(child);
                src.putManifest("multi", digest, new Manifest(Manifest.OCI_MANIFEST, digest, child));
                children.add(digest);
                index.append(i == 0 ? "" : ",").append("{\"mediaType\":\"").append(Manifest.OCI_MANIFEST)
                        .append("\",\"digest\":\"").append(digest).append("\",\"size\":").append(child.length)
                        .append(",\"platform\":{\"architecture\":\"").append(arches[i])
                        .append("\",\"os\":\"linux\"}}");
            }
            byte[] indexBytes = index.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            String indexDigest = Digests.of(indexBytes);
            src.putManifest("multi", "2.0", new Manifest(Manifest.OCI_INDEX, indexDigest, indexBytes));

            MirrorReport report = mirror.mirror(new ImageMirror.Endpoint(src, "multi"),
                    new ImageMirror.Endpoint(dst, "multi"), List.of("2.0"), List.of("20261127-011600"), () -> {
                    });
            assertTrue(report.ok(), report.toString());
            assertEquals(4, report.blobsSent());
            Manifest copied = dst.getManifest("multi", "2.0");
            assertEquals(indexDigest, copied.digest());
            assertTrue(copied.isIndex());
            assertEquals(Manifest.OCI_INDEX, copied.mediaType());
            assertEquals(Optional.of(indexDigest), dst.manifestDigest("multi", "20261127-011600"));
            for (String child : children) {
                assertEquals(child, dst.getManifest("multi", child).digest());
            }
            for (Descriptor blob : childBlobs) {
                assertTrue(dst.hasBlob("multi", blob.digest()), blob.digest());
            }
        }
    }

    @Test
    void corruptedSourceBlobIsDetectedAndNothingIsTaggedOnTheTarget() throws Exception {
        try (RegistryServer primary = RegistryServer.start(); RegistryServer backup = RegistryServer.start()) {
            RegistryClient src = new RegistryClient(primary.url(), RegistryCredentials.NONE);
            RegistryClient dst = new RegistryClient(backup.url(), RegistryCredentials.NONE);
            Descriptor config = push(src, "app", "{\"architecture\":\"amd64\",\"os\":\"linux\"}"
                    .getBytes(StandardCharsets.UTF_8), "application/vnd.oci.image.config.v1+json");
            byte[] good = random(300_000);
            Descriptor layer = push(src, "app", good, "application/vnd.oci.image.layer.v1.tar+gzip");
            byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.OCI_MANIFEST + "\",\"config\":"
                    + json(config) + ",\"layers\":[" + json(layer) + "]}").getBytes(StandardCharsets.UTF_8);
            src.putManifest("app", "1.0", new Manifest(Manifest.OCI_MANIFEST, Digests.of(manifest), manifest));

            // the primary now serves other bytes of the same length under the layer's digest
            byte[] bad = good.clone();
            bad[150_000] ^= 0x5a;
            Files.write(primary.blobFile(layer.digest()), bad);

            MirrorReport report = mirror.mirror(new ImageMirror.Endpoint(src, "app"),
                    new ImageMirror.Endpoint(dst, "app"), List.of("1.0"), List.of("20261127-011700"), () -> {
                    });
            assertFalse(report.ok());
            String error = report.tags().get(0).error();
            assertTrue(error.contains(layer.digest()) && error.contains("hashes to " + Digests.of(bad)), error);
            assertFalse(dst.hasBlob("app", layer.digest()), "the corrupt layer must not reach the target");
            assertEquals(Optional.empty(), dst.manifestDigest("app", "1.0"));
            assertEquals(Optional.empty(), dst.manifestDigest("app", "20261127-011700"));
            assertEquals(List.of(), dst.listTags("app"));
        }
    }

    static Descriptor push(RegistryClient registry, String repo, byte[] content, String mediaType) {
        Descriptor d = new Descriptor(mediaType, Digests.of(content), content.length);
        registry.pushBlob(repo, d, new java.io.ByteArrayInputStream(content), () -> {
        });
        return d;
    }

    static String json(Descriptor d) {
        return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
    }

    static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }
}
