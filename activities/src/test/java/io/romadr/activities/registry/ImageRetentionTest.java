package io.romadr.activities.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ImageRetention on a real registry with deletes enabled. */
@org.junit.jupiter.api.Tag("integration")
class ImageRetentionTest {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Test
    void keepsTheNewestThirtyOfThirtyThreeAndNeverADigestStillNamedElsewhere() throws Exception {
        try (RegistryServer server = RegistryServer.start()) {
            RegistryClient registry = new RegistryClient(server.url(), RegistryCredentials.NONE);
            Descriptor config = ImageMirrorTest.push(registry, "app", "{\"architecture\":\"amd64\",\"os\":\"linux\"}"
                    .getBytes(StandardCharsets.UTF_8), "application/vnd.oci.image.config.v1+json");
            Descriptor layer = ImageMirrorTest.push(registry, "app", ImageMirrorTest.random(1000),
                    "application/vnd.oci.image.layer.v1.tar+gzip");
            // 33 timestamp tags, each its own manifest; pushed in shuffled order so push time says nothing
            List<String> tags = new ArrayList<>();
            List<String> digests = new ArrayList<>();
            LocalDateTime t0 = LocalDateTime.of(2026, 10, 1, 3, 0, 0);
            for (int i = 0; i < 33; i++) {
                tags.add(t0.plusDays(i).plusSeconds(i).format(TS));
            }
            for (int k = 0; k < 33; k++) {
                int i = (k * 7) % 33;
                byte[] m = ("{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.OCI_MANIFEST + "\",\"config\":"
                        + ImageMirrorTest.json(config) + ",\"layers\":[" + ImageMirrorTest.json(layer)
                        + "],\"annotations\":{\"n\":\"" + i + "\"}}").getBytes(StandardCharsets.UTF_8);
                registry.putManifest("app", tags.get(i), new Manifest(Manifest.OCI_MANIFEST, Digests.of(m), m));
            }
            for (String tag : tags) {
                digests.add(registry.manifestDigest("app", tag).orElseThrow());
            }
            // latest is the newest; the release tag names the second-oldest image
            Manifest newest = registry.getManifest("app", tags.get(32));
            registry.putManifest("app", "latest", newest);
            registry.putManifest("app", "1.4.2", registry.getManifest("app", tags.get(1)));
            // another family with its own prefix, under the limit: untouched
            registry.putManifest("app", "nightly-20261127-010000", newest);

            ImageRetention.RetentionReport report = new ImageRetention().apply(registry, "app",
                    ImageRetention.DEFAULT_KEEP, () -> {
                    });

            assertEquals(List.of(tags.get(0), tags.get(2)), report.deletedTags().stream().sorted().toList());
            assertEquals(List.of(tags.get(1)), report.protectedTags());
            assertEquals(2, report.deletedManifests());
            assertEquals(Optional.empty(), registry.manifestDigest("app", digests.get(0)));
            assertEquals(Optional.empty(), registry.manifestDigest("app", digests.get(2)));
            assertEquals(Optional.of(digests.get(1)), registry.manifestDigest("app", "1.4.2"));
            Set<String> expected = new HashSet<>(tags.subList(3, 33));
            expected.addAll(List.of(tags.get(1), "latest", "1.4.2", "nightly-20261127-010000"));
            assertEquals(expected, new HashSet<>(registry.listTags("app")));
            for (int i = 3; i < 33; i++) {
                assertEquals(Optional.of(digests.get(i)), registry.manifestDigest("app", tags.get(i)));
            }
            assertTrue(registry.hasBlob("app", layer.digest()), "shared blobs stay (garbage collection is separate)");

            // idempotent: a second pass finds nothing to delete
            ImageRetention.RetentionReport again = new ImageRetention().apply(registry, "app", 30, () -> {
            });
            assertEquals(List.of(), again.deletedTags());
        }
    }
}
