package io.romadr.backup;

import java.util.List;

/**
 * What one push to a backup remote did. {@code refused} holds "ref: reason" for refs left alone (e.g. a
 * non-fast-forward update without allowForceUpdate); {@code pushed} is false when nothing had to be sent;
 * {@code verified} is true when the backup's refs, read back, equal the requested ones (refused refs excepted).
 */
public record GitPushResult(String remote, List<String> created, List<String> updated, List<String> deleted,
        List<String> refused, int unchanged, boolean pushed, boolean verified, String problem) {
    public GitPushResult {
        created = created == null ? List.of() : List.copyOf(created);
        updated = updated == null ? List.of() : List.copyOf(updated);
        deleted = deleted == null ? List.of() : List.copyOf(deleted);
        refused = refused == null ? List.of() : List.copyOf(refused);
        problem = problem == null ? "" : problem;
    }

    public boolean ok() {
        return verified && refused.isEmpty() && problem.isEmpty();
    }
}
