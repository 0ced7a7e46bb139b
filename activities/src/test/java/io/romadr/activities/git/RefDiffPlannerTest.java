package io.romadr.activities.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/** The per-ref push plan, with a made-up history: a1 <- a2 <- a3 on one line, b1 on another. */
class RefDiffPlannerTest {
    private static final String A1 = "a1".repeat(20);
    private static final String A2 = "a2".repeat(20);
    private static final String A3 = "a3".repeat(20);
    private static final String B1 = "b1".repeat(20);
    private static final Set<String> ANCESTRY = Set.of(A1 + A2, A1 + A3, A2 + A3);
    private static final BiPredicate<String, String> IS_ANCESTOR = (older, newer) -> older.equals(newer)
            || ANCESTRY.contains(older + newer);

    @Test
    void createsUpdatesDeletesAndKeepsEqualRefs() {
        RefPlan plan = RefDiffPlanner.plan(
                Map.of("refs/heads/main", A3, "refs/heads/new", B1, "refs/tags/v1", A1),
                Map.of("refs/heads/main", A2, "refs/heads/gone", B1, "refs/tags/v1", A1, "refs/tags/old", A2),
                IS_ANCESTOR, false);
        assertEquals(Map.of("refs/heads/new", B1), plan.create());
        assertEquals(Map.of("refs/heads/main", A3), plan.update());
        assertEquals(List.of("refs/heads/gone", "refs/tags/old"), plan.delete());
        assertEquals(List.of("refs/tags/v1"), plan.unchanged());
        assertTrue(plan.refused().isEmpty() && plan.forced().isEmpty());
        // Every pushed ref except a create carries the backup's current id, so a concurrent change is detected.
        assertEquals(Map.of("refs/heads/main", A2, "refs/heads/gone", B1, "refs/tags/old", A2), plan.expectedOld());
        assertFalse(plan.nothingToPush());
    }

    @Test
    void refusesNonFastForwardAndMovingTagWithoutAllowForceUpdate() {
        Map<String, String> wanted = Map.of("refs/heads/main", A1, "refs/heads/side", B1, "refs/tags/v1", A3);
        Map<String, String> backup = Map.of("refs/heads/main", A3, "refs/heads/side", A1, "refs/tags/v1", A2);
        RefPlan plan = RefDiffPlanner.plan(wanted, backup, IS_ANCESTOR, false);
        assertEquals(List.of(
                "refs/heads/main: non-fast-forward (backup keeps a3a3a3a, primary has a1a1a1a); "
                        + "allowForceUpdate is false",
                "refs/heads/side: non-fast-forward (backup keeps a1a1a1a, primary has b1b1b1b); "
                        + "allowForceUpdate is false",
                "refs/tags/v1: tag would move (backup keeps a2a2a2a, primary has a3a3a3a); allowForceUpdate is false"),
                plan.refused());
        assertEquals(List.of("refs/heads/main", "refs/heads/side", "refs/tags/v1"), plan.refusedRefs());
        assertTrue(plan.nothingToPush());
    }

    @Test
    void forcesTheSameRefsWithAllowForceUpdate() {
        Map<String, String> wanted = Map.of("refs/heads/main", A1, "refs/heads/ff", A3, "refs/tags/v1", A3);
        Map<String, String> backup = Map.of("refs/heads/main", A3, "refs/heads/ff", A2, "refs/tags/v1", A2);
        RefPlan plan = RefDiffPlanner.plan(wanted, backup, IS_ANCESTOR, true);
        assertEquals(wanted, plan.update());
        assertEquals(Set.of("refs/heads/main", "refs/tags/v1"), Set.copyOf(plan.forced()));
        assertTrue(plan.refused().isEmpty());
    }

    @Test
    void equalRefsNeedNothing() {
        Map<String, String> refs = Map.of("refs/heads/main", A1, "refs/tags/v1", A2);
        RefPlan plan = RefDiffPlanner.plan(refs, refs, (o, n) -> {
            throw new AssertionError("no ancestry question for equal refs");
        }, false);
        assertTrue(plan.nothingToPush());
        assertEquals(2, plan.unchanged().size());
    }
}
