package io.romadr.scenario.gitloss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scenario 4's decision by ancestry, without any git: the candidates' assessments are given. */
class GitSourceChoiceTest {
    static final Map<String, String> REFS = Map.of("refs/heads/main", "a".repeat(40));

    static GitCandidate candidate(String name, long commits, List<String> contains, List<String> missing) {
        return new GitCandidate(name, name.startsWith("bundle:") ? "bundle" : "remote", name, REFS, missing, contains,
                commits, "");
    }

    @Test
    void aForcePushedPrimaryLosesToTheBackupThatContainsIt() {
        var choice = GitSourceChoice.choose(List.of(candidate("origin", 3, List.of(), List.of()),
                candidate("backup", 120, List.of("origin"), List.of())));
        assertEquals("backup", choice.chosen().name());
        assertFalse(choice.diverged());
        assertTrue(choice.reasons().get(0).contains("backup: chosen: contains every other acceptable history (origin)"),
                choice.reasons().toString());
    }

    @Test
    void thePrimaryWinsATieWithAnEqualBackup() {
        var choice = GitSourceChoice.choose(List.of(candidate("origin", 10, List.of("backup"), List.of()),
                candidate("backup", 10, List.of("origin"), List.of())));
        assertEquals("origin", choice.chosen().name());
    }

    @Test
    void aBundleWithNewerCommitsBeatsABackupThatIsBehind() {
        var choice = GitSourceChoice.choose(List.of(candidate("backup", 100, List.of(), List.of()),
                candidate("bundle:alice.bundle", 104, List.of("backup"), List.of())));
        assertEquals("bundle:alice.bundle", choice.chosen().name());
    }

    @Test
    void aCandidateMissingAKnownGoodCommitIsRejectedEvenIfItIsLonger() {
        // Timestamps and length do not decide: the primary has more commits but lost the known-good one.
        var choice = GitSourceChoice.choose(List.of(candidate("origin", 500, List.of(), List.of("c0ffee1234567")),
                candidate("backup", 100, List.of(), List.of())));
        assertEquals("backup", choice.chosen().name());
        assertTrue(
                choice.reasons().get(0)
                        .startsWith("origin: rejected: does not contain known-good commit(s) c0ffee1234"),
                choice.reasons().toString());
    }

    @Test
    void divergedHistoriesProposeTheLongestAndSaySo() {
        var choice = GitSourceChoice.choose(List.of(candidate("origin", 50, List.of(), List.of()),
                candidate("backup", 70, List.of(), List.of())));
        assertEquals("backup", choice.chosen().name());
        assertTrue(choice.diverged());
        assertTrue(choice.reasons().get(choice.reasons().size() - 1).contains("histories have diverged"));
    }

    @Test
    void unreadableAndEmptyCandidatesAreNeverChosen() {
        var broken = new GitCandidate("bundle:bad.bundle", "bundle", "bad.bundle", Map.of(), List.of(), List.of(), 0,
                "not a bundle: truncated");
        var empty = new GitCandidate("origin", "remote", "git://x", Map.of("refs/tags/v1", "b".repeat(40)), List.of(),
                List.of(), 0, "");
        var choice = GitSourceChoice.choose(List.of(empty, broken));
        assertNull(choice.chosen());
        assertEquals(
                List.of("origin: not usable: no branches", "bundle:bad.bundle: not usable: not a bundle: truncated",
                        "no candidate is acceptable"),
                choice.reasons());
    }
}
