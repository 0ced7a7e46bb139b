package io.romadr.activities.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.CommandStatus;

/**
 * Which already-sent SSM command a retried step waits for. moto reports every command as Success at once (and has no
 * CancelCommand), so the choice is checked here on the SDK's own model objects.
 */
class SsmCommandReuseTest {
    static Command sent(String id, CommandStatus status, int minute) {
        return Command.builder().commandId(id).status(status)
                .requestedDateTime(Instant.parse("2026-11-27T09:00:00Z").plusSeconds(60L * minute)).build();
    }

    @Test
    void aRunningOrSuccessfulCommandIsAwaitedNotSentAgain() {
        assertEquals("c1", SsmCommands.reusable(List.of(sent("c1", CommandStatus.IN_PROGRESS, 0))));
        assertEquals("c1", SsmCommands.reusable(List.of(sent("c1", CommandStatus.PENDING, 0))));
        assertEquals("c1", SsmCommands.reusable(List.of(sent("c1", CommandStatus.SUCCESS, 0))));
    }

    @Test
    void aFailedTimedOutOrCancelledCommandIsSentAgain() {
        for (CommandStatus ended : List.of(CommandStatus.FAILED, CommandStatus.TIMED_OUT, CommandStatus.CANCELLED,
                CommandStatus.CANCELLING)) {
            assertNull(SsmCommands.reusable(List.of(sent("c1", ended, 0))), ended.toString());
        }
        assertNull(SsmCommands.reusable(List.of()));
    }

    @Test
    void onlyTheNewestCounts() {
        // An old failure, then the retry that is running now: wait for the retry.
        assertEquals("c2", SsmCommands.reusable(List.of(sent("c1", CommandStatus.FAILED, 0),
                sent("c2", CommandStatus.IN_PROGRESS, 5))));
        // An old success does not hide a newer failure.
        assertNull(SsmCommands.reusable(List.of(sent("c2", CommandStatus.FAILED, 5),
                sent("c1", CommandStatus.SUCCESS, 0))));
    }
}
