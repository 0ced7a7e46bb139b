package io.romadr.scenario.security;

/**
 * One image redeployed from known-good: the image as the containers name it, the backup registry's digest for it,
 * the reference pulled ({@code host/repository@sha256:...}) and the image id the engine now has under the name.
 */
public record KnownGoodImage(String image, String digest, String pulled, String imageId) {
}
