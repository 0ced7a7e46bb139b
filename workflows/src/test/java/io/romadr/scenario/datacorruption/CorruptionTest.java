package io.romadr.scenario.datacorruption;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CorruptionTest {
    static ArtifactCheck check(int total, int bad) {
        return new ArtifactCheck(total, IntStream.range(0, bad)
                .mapToObj(i -> new ArtifactCheck.InvalidArtifact("f" + i + ".json", "broken")).toList());
    }

    @Test
    void extentFollowsThePlansThreshold() {
        assertEquals(Corruption.NONE, Corruption.classify(check(10, 0), 0.5).extent());
        assertEquals(Corruption.LOCALIZED, Corruption.classify(check(10, 5), 0.5).extent());
        assertEquals(Corruption.WIDESPREAD, Corruption.classify(check(10, 6), 0.5).extent());
        assertEquals(Corruption.WIDESPREAD, Corruption.classify(check(10, 2), 0.1).extent());
        assertEquals("localized: 1 of 10 artifact(s) invalid", Corruption.classify(check(10, 1), 0.5).toString());
        assertEquals(List.of("f0.json"), check(10, 1).invalidFiles());
    }
}
