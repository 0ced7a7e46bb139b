package io.romadr.scenario.security;

import java.util.List;

/** The known-good images now on the engine, and the backup registry they came from. */
public record KnownGoodImages(String registry, List<KnownGoodImage> images) {
    public KnownGoodImages {
        images = images == null ? List.of() : List.copyOf(images);
    }
}
