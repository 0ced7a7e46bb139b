package io.romadr.activities.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cut-off of a log read: Docker's since is whole seconds, the range is kept to the nanosecond. */
class ContainerLogLinesTest {
    private static final Instant AFTER = Instant.parse("2026-12-07T19:00:00.500000000Z");
    private static final Instant UP_TO = Instant.parse("2026-12-07T20:00:00.250000000Z");

    private final List<ContainerLogLines.Line> got = new ArrayList<>();
    private final ContainerLogLines.Reader reader = new ContainerLogLines.Reader(AFTER, UP_TO, got::add);

    private void frame(StreamType type, String text) {
        reader.onNext(new Frame(type, text.getBytes(StandardCharsets.UTF_8)));
    }

    private List<String> texts() {
        return got.stream().map(ContainerLogLines.Line::text).toList();
    }

    @Test
    void linesOfTheFloorSecondAtOrBeforeTheStartAndAfterTheEndAreDroppedByTheirNanoseconds() throws IOException {
        frame(StreamType.STDOUT, "2026-12-07T19:00:00.1Z before\n");
        frame(StreamType.STDOUT, "2026-12-07T19:00:00.5Z at-start\n");
        frame(StreamType.STDOUT, "2026-12-07T19:00:00.500000001Z first\n");
        frame(StreamType.STDOUT, "2026-12-07T20:00:00.25Z at-end\n");
        frame(StreamType.STDOUT, "2026-12-07T20:00:00.250000001Z after\n");
        reader.finish();
        // (after, upTo]: the line at the start was the previous range's last, the one at the end is this range's.
        assertEquals(List.of("first", "at-end"), texts());
    }

    @Test
    void linesAtTheSameNanosecondAreAllOnTheSameSideOfACutoff() throws IOException {
        frame(StreamType.STDOUT, "2026-12-07T19:00:00.5Z a\n2026-12-07T19:00:00.5Z b\n");
        frame(StreamType.STDERR, "2026-12-07T20:00:00.25Z c\n");
        frame(StreamType.STDOUT, "2026-12-07T20:00:00.25Z d\n");
        reader.finish();
        assertEquals(List.of("c", "d"), texts());
        assertEquals(List.of("stderr", "stdout"), got.stream().map(ContainerLogLines.Line::stream).toList());
    }

    @Test
    void framesAreSplitIntoLinesWhereverTheyBreak() throws IOException {
        frame(StreamType.STDOUT, "2026-12-07T19:30:00.000000001Z one\n2026-12-07T19:30:00.000000002Z tw");
        frame(StreamType.STDERR, "2026-12-07T19:30:00.000000003Z err\n");
        frame(StreamType.STDOUT, "o\n2026-12-07T19:30:00.000000004Z three with  spaces \n");
        frame(StreamType.STDOUT, "2026-12-07T19:30:00.000000005Z no newline at the end");
        reader.finish();
        assertEquals(List.of("one", "err", "two", "three with  spaces ", "no newline at the end"), texts());
    }

    @Test
    void anUnstampedPieceBelongsToTheLineBeforeIt() throws IOException {
        frame(StreamType.STDOUT, "unstamped before anything\n");
        frame(StreamType.STDOUT, "2026-12-07T19:30:00Z stamped\nrest of it\n");
        reader.finish();
        assertEquals(List.of("stamped", "rest of it"), texts());
        assertEquals(got.get(0).at(), got.get(1).at());
    }
}
