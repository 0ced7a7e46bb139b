package io.romadr.backup;

import java.util.Map;
import java.util.TreeMap;

/** A remote's branches and tags: full ref name ({@code refs/heads/main}, {@code refs/tags/v1}) -> object id. */
public record GitRefs(String remote, Map<String, String> refs) {
    public GitRefs {
        refs = refs == null ? Map.of() : new TreeMap<>(refs);
    }
}
