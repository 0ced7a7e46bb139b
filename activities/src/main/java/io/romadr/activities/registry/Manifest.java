package io.romadr.activities.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A manifest exactly as the registry served it: its bytes (which are what the digest covers, so they are never
 * re-serialised), media type and digest.
 */
public record Manifest(String mediaType, String digest, byte[] bytes) {
    public static final String DOCKER_V2 = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    /** What GET/HEAD ask for: without it registries down-convert or answer with the old schema 1. */
    public static final String ACCEPT = String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_V2);

    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean isIndex() {
        return DOCKER_LIST.equals(mediaType) || OCI_INDEX.equals(mediaType)
                || (mediaType == null || mediaType.isEmpty()) && json().has("manifests");
    }

    /** The child manifests of an index (empty for an image manifest). */
    public List<Descriptor> children() {
        return isIndex() ? descriptors(json().path("manifests")) : List.of();
    }

    /** The blobs of an image manifest: config first, then the layers (empty for an index). */
    public List<Descriptor> blobs() {
        if (isIndex()) {
            return List.of();
        }
        JsonNode root = json();
        List<Descriptor> out = new ArrayList<>();
        if (root.has("config")) {
            out.add(descriptor(root.get("config")));
        }
        out.addAll(descriptors(root.path("layers")));
        return out;
    }

    /** The media type a manifest's own JSON declares (OCI manifests may omit it; the header then decides). */
    static String declaredMediaType(byte[] bytes) {
        try {
            return JSON.readTree(bytes).path("mediaType").asText("");
        } catch (IOException e) {
            throw new UncheckedIOException("manifest is not JSON", e);
        }
    }

    private JsonNode json() {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("manifest " + digest + " is not JSON", e);
        }
    }

    private static List<Descriptor> descriptors(JsonNode array) {
        List<Descriptor> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(descriptor(n));
        }
        return out;
    }

    private static Descriptor descriptor(JsonNode n) {
        String digest = n.path("digest").asText("");
        if (!digest.startsWith("sha256:")) {
            throw new IllegalArgumentException("unsupported descriptor digest '" + digest + "' (only sha256)");
        }
        return new Descriptor(n.path("mediaType").asText(""), digest, n.path("size").asLong(-1));
    }
}
