package io.romadr.scenario.security;

import java.util.List;

/** What containment did per container; {@code changed} false when everything was already contained (a retry). */
public record ContainResult(boolean changed, List<String> actions) {
    public ContainResult {
        actions = actions == null ? List.of() : List.copyOf(actions);
    }
}
