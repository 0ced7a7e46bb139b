package io.romadr.activities.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.Tag("integration")
class HostCommandRunnerTest {
    private final HostCommandRunner runner = new HostCommandRunner();

    @Test
    void exitZeroWithWorkdirEnvAndRedactedOutput(@TempDir Path dir) throws Exception {
        HostCommandRunner.Result r = runner.run(List.of("sh", "-c", "pwd; echo \"$GREETING\"; echo password=hunter2"),
                dir, Map.of("GREETING", "hello roma"), Duration.ofSeconds(10), null);
        assertTrue(r.ok());
        assertEquals(0, r.exitCode());
        assertTrue(r.outputTail().contains(dir.toRealPath().toString()), r.outputTail());
        assertTrue(r.outputTail().contains("hello roma"), r.outputTail());
        assertFalse(r.outputTail().contains("hunter2"), r.outputTail());
    }

    @Test
    void exitThree() throws Exception {
        HostCommandRunner.Result r = runner.run(List.of("sh", "-c", "echo failing >&2; exit 3"), null, Map.of(),
                Duration.ofSeconds(10), null);
        assertFalse(r.ok());
        assertEquals(3, r.exitCode());
        assertTrue(r.outputTail().contains("failing"), r.outputTail());
    }

    @Test
    void timeoutKillsTheProcessTree(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("child.pid");
        AtomicInteger ticks = new AtomicInteger();
        long start = System.nanoTime();
        HostCommandRunner.Result r = runner.run(List.of("sh", "-c", "sleep 60 & echo $! > " + pidFile + "; wait"),
                null, Map.of(), Duration.ofMillis(1500), ticks::incrementAndGet);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(r.timedOut());
        assertFalse(r.ok());
        assertTrue(ms < 8000, "took " + ms + " ms");
        assertTrue(ticks.get() >= 1, "no heartbeat tick");
        long child = Long.parseLong(Files.readString(pidFile).trim());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)) {
            assertTrue(System.nanoTime() < deadline, "child " + child + " survived the timeout");
            Thread.onSpinWait();
        }
    }
}
