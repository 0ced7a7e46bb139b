package io.romadr.scenario.security;

import java.util.List;

/** Every credential the incident rotates, each with its version before the rotation. */
public record RotationInventory(List<RotationTarget> targets) {
    public RotationInventory {
        targets = targets == null ? List.of() : List.copyOf(targets);
    }
}
