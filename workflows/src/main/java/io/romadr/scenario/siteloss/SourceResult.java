package io.romadr.scenario.siteloss;

import java.util.List;

/** Where the source came from (remote name and commit), how many files, and why other remotes were passed over. */
public record SourceResult(String remote, String commit, int files, List<String> skipped) {
    public SourceResult {
        skipped = skipped == null ? List.of() : List.copyOf(skipped);
    }
}
