package io.romadr.activities.git;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiPredicate;

/**
 * Decides per ref what a push to a backup does, from the wanted refs (the primary's), the backup's refs and an
 * ancestry test. Pure: the caller makes sure the ancestry test can answer (the backup's objects are in the cache).
 * A tag never moves and a branch only fast-forwards unless {@code allowForceUpdate}, so a rewritten primary cannot
 * rewrite the backups' history by accident.
 */
final class RefDiffPlanner {
    private RefDiffPlanner() {
    }

    /**
     * @param wanted     ref -> id the backup should have (refs/heads/* and refs/tags/*)
     * @param backup     ref -> id the backup has now (refs/heads/* and refs/tags/*)
     * @param isAncestor (older, newer) -> whether {@code older} is an ancestor of or equal to {@code newer}
     */
    static RefPlan plan(Map<String, String> wanted, Map<String, String> backup, BiPredicate<String, String> isAncestor,
            boolean allowForceUpdate) {
        Map<String, String> create = new HashMap<>();
        Map<String, String> update = new HashMap<>();
        List<String> delete = new ArrayList<>();
        List<String> forced = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        Map<String, String> expectedOld = new HashMap<>();

        TreeSet<String> names = new TreeSet<>(wanted.keySet());
        names.addAll(backup.keySet());
        for (String ref : names) {
            String want = wanted.get(ref);
            String have = backup.get(ref);
            if (want == null) {
                delete.add(ref);
                expectedOld.put(ref, have);
            } else if (have == null) {
                create.put(ref, want);
            } else if (want.equals(have)) {
                unchanged.add(ref);
            } else {
                String reason = nonFastForwardReason(ref, have, want, isAncestor);
                if (reason == null) {
                    update.put(ref, want);
                    expectedOld.put(ref, have);
                } else if (allowForceUpdate) {
                    update.put(ref, want);
                    forced.add(ref);
                    expectedOld.put(ref, have);
                } else {
                    refused.add(ref + ": " + reason + " (backup keeps " + shortId(have) + ", primary has "
                            + shortId(want) + "); allowForceUpdate is false");
                }
            }
        }
        return new RefPlan(create, update, delete, forced, refused, unchanged, expectedOld);
    }

    /** Why moving {@code ref} from {@code have} to {@code want} is a forced update, or null when it is not. */
    private static String nonFastForwardReason(String ref, String have, String want,
            BiPredicate<String, String> isAncestor) {
        if (ref.startsWith("refs/tags/")) {
            return "tag would move";
        }
        return isAncestor.test(have, want) ? null : "non-fast-forward";
    }

    static String shortId(String id) {
        return id.length() > 7 ? id.substring(0, 7) : id;
    }
}
