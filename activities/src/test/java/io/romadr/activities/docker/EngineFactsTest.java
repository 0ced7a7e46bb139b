package io.romadr.activities.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The engine's version and root directory, read from the real engine and kept for a minute (a clock of its own). */
@org.junit.jupiter.api.Tag("integration")
class EngineFactsTest {
    private final DockerClient docker = DockerTestSupport.docker();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    private EngineFacts facts(DockerClient client) {
        return new EngineFacts(client, new EngineCalls(), clock::get);
    }

    @Test
    void aReadWithinAMinuteIsUsedAtOnceAndAnOlderOneIsReadAgain() throws Exception {
        EngineFacts facts = facts(docker);
        EngineFacts.Facts first = facts.get().get(30, TimeUnit.SECONDS);
        assertEquals(docker.versionCmd().exec().getVersion(), first.version());
        assertEquals(docker.infoCmd().exec().getDockerRootDir(), first.rootDir());

        clock.addAndGet(Duration.ofSeconds(20).toNanos());
        Future<EngineFacts.Facts> young = facts.get();
        assertTrue(young.isDone(), "a read 20 s old is used without waiting on the engine");
        assertEquals(first, young.get());

        // Past half of the minute: still answered at once, and read again behind it.
        clock.addAndGet(Duration.ofSeconds(20).toNanos());
        assertEquals(first, facts.get().get());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (facts.get().get().readAtNanos() == first.readAtNanos()) {
            assertTrue(System.nanoTime() < deadline, "no read behind a 40 s old one");
            Thread.sleep(5);
        }

        // Older than the minute: the caller waits for a new read.
        clock.addAndGet(Duration.ofMinutes(2).toNanos());
        EngineFacts.Facts later = facts.get().get(30, TimeUnit.SECONDS);
        assertEquals(clock.get(), later.readAtNanos());
    }

    @Test
    void anEngineThatDoesNotAnswerFailsTheReadAndIsAskedAgainNextTime() {
        EngineFacts facts = facts(DockerClients.forHost("unix:///tmp/roma-dr-no-such-engine.sock"));
        Future<EngineFacts.Facts> first = facts.get();
        assertThrows(ExecutionException.class, () -> first.get(30, TimeUnit.SECONDS));
        Future<EngineFacts.Facts> second = facts.get();
        assertFalse(second == first, "a failed read is not kept");
        assertThrows(ExecutionException.class, () -> second.get(30, TimeUnit.SECONDS));
    }
}
