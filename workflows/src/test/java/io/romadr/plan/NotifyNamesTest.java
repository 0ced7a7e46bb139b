package io.romadr.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.romadr.backup.BackupKind;
import io.romadr.notify.ChannelType;
import io.romadr.notify.NotifyEvent;
import io.romadr.temporal.Scenario;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The plan's copies of ids that live in higher packages stay equal to their sources. */
class NotifyNamesTest {
    @Test
    void eventsAreTheNotifyEvents() {
        assertEquals(Arrays.stream(NotifyEvent.values()).map(NotifyEvent::id).toList(), NotifyNames.EVENTS);
    }

    @Test
    void channelsAreTheChannelTypes() {
        assertEquals(Arrays.stream(ChannelType.values()).map(ChannelType::id).toList(), NotifyNames.CHANNELS);
    }

    @Test
    void scenariosAreTheFourScenarios() {
        assertEquals(Scenario.ALL.stream().map(Scenario::id).toList(), NotifyNames.SCENARIOS);
    }

    @Test
    void backupKindsAreTheStoredKindsThenTheMirrorsThenTheLogs() {
        assertEquals(Arrays.stream(BackupKind.values()).map(BackupKind::id).toList(),
                NotifyNames.BACKUP_KINDS.subList(0, BackupKind.values().length));
        assertEquals(java.util.List.of("git", "images", "logs"),
                NotifyNames.BACKUP_KINDS.subList(BackupKind.values().length, NotifyNames.BACKUP_KINDS.size()));
    }
}
