package io.romadr.activities.registry;

/** An OCI content descriptor: what a manifest points to (config, layer, or child manifest of an index). */
public record Descriptor(String mediaType, String digest, long size) {
}
