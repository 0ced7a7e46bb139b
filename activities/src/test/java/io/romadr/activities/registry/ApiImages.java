package io.romadr.activities.registry;

import io.romadr.activities.digest.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Pushes made-up images straight through the registry API, as a CI's {@code docker push} would end (blobs, then
 * the manifest under its tag), without a Docker engine: a config blob and one layer of random bytes, so every image
 * has blobs no other has. The layer is generated while it is sent, never held whole in memory.
 */
public final class ApiImages {
    private ApiImages() {
    }

    /** Pushes a new image of one {@code layerBytes} random layer as {@code repository:tag}; returns its digest. */
    public static String push(RegistryClient registry, String repository, String tag, long layerBytes, long seed) {
        return tag(registry, repository, tag, upload(registry, repository, layerBytes, seed));
    }

    /**
     * Uploads the blobs of a new image (one {@code layerBytes} random layer) and returns its manifest, not yet
     * pushed: {@link #tag} then pushes it, so a burst of tags can be pushed as fast as a CI's last step does.
     */
    public static Manifest upload(RegistryClient registry, String repository, long layerBytes, long seed) {
        Descriptor layer = new Descriptor("application/vnd.docker.image.rootfs.diff.tar", layerDigest(layerBytes,
                seed), layerBytes);
        registry.pushBlob(repository, layer, randomBytes(layerBytes, seed), () -> {
        });
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"seed\":\"" + seed
                + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layer.digest() + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        Descriptor configBlob = new Descriptor("application/vnd.docker.container.image.v1+json",
                "sha256:" + Sha256.hex(config), config.length);
        registry.pushBlob(repository, configBlob, new ByteArrayInputStream(config), () -> {
        });
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.DOCKER_V2 + "\",\"config\":"
                + descriptor(configBlob) + ",\"layers\":[" + descriptor(layer) + "]}").getBytes(StandardCharsets.UTF_8);
        return new Manifest(Manifest.DOCKER_V2, "sha256:" + Sha256.hex(manifest), manifest);
    }

    /** Pushes {@code manifest} (its blobs uploaded) as {@code repository:tag}; returns its digest. */
    public static String tag(RegistryClient registry, String repository, String tag, Manifest manifest) {
        return registry.putManifest(repository, tag, manifest);
    }

    private static String descriptor(Descriptor d) {
        return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
    }

    private static String layerDigest(long size, long seed) {
        var digest = Sha256.newDigest();
        try (InputStream in = randomBytes(size, seed)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "sha256:" + Sha256.hex(digest);
    }

    /**
     * The same {@code size} pseudo-random bytes for the same seed, generated on the fly in fixed blocks (so how a
     * reader splits its reads does not change the bytes).
     */
    private static InputStream randomBytes(long size, long seed) {
        Random random = new Random(seed);
        return new InputStream() {
            private final byte[] block = new byte[1 << 16];
            private int at = block.length;
            private long left = size;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                if (at == block.length) {
                    random.nextBytes(block);
                    at = 0;
                }
                int n = (int) Math.min(Math.min(len, left), block.length - at);
                System.arraycopy(block, at, b, off, n);
                at += n;
                left -= n;
                return n;
            }
        };
    }
}
