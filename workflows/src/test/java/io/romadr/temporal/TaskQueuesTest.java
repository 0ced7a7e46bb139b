package io.romadr.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TaskQueuesTest {
    @Test
    void aRegionsWorkersPollRomaDrDashRegion() {
        assertEquals("roma-dr-us-west-2", TaskQueues.forRegion("us-west-2"));
        assertEquals("roma-dr-us-west-2", TaskQueues.of(null, "us-west-2"));
        assertEquals("roma-dr-us-west-2", TaskQueues.of("roma-dr", " us-west-2 "));
        assertEquals("roma-dr-us-west-2", TaskQueues.of("roma-dr-us-west-2", "us-west-2"));
    }

    @Test
    void withoutARegionTheQueueIsTheConfiguredOneOrRomaDr() {
        assertEquals("roma-dr", TaskQueues.of(null, null));
        assertEquals("roma-dr", TaskQueues.of(" ", ""));
        assertEquals("site-e2e", TaskQueues.of("site-e2e", null));
    }

    @Test
    void backupsGoToTheBackupsQueueRecoveriesRestoresAndDrillsStay() {
        assertEquals("roma-dr-backups", TaskQueues.backups("roma-dr"));
        assertEquals("roma-dr-us-west-2-backups", TaskQueues.forWorkflow("roma-dr-us-west-2",
                io.romadr.backup.StateSnapshotWorkflow.TYPE));
        assertEquals("roma-dr-backups", TaskQueues.forWorkflow("roma-dr",
                io.romadr.backup.BackupVerificationWorkflow.TYPE));
        assertEquals("roma-dr-backups", TaskQueues.forWorkflow("roma-dr", io.romadr.backup.GitMirrorWorkflow.TYPE));
        for (String stays : new String[]{"ServiceRecoveryWorkflow", io.romadr.backup.BackupRestoreWorkflow.TYPE,
                io.romadr.backup.BackupCatalogWorkflow.TYPE, "DrillWorkflow"}) {
            assertEquals("roma-dr", TaskQueues.forWorkflow("roma-dr", stays), stays);
        }
    }

    @Test
    void aQueueAndARegionThatDisagreeOrABadRegionNameAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TaskQueues.of("roma-dr-us-east-1", "us-west-2"));
        assertTrue(e.getMessage().contains("a worker of region us-west-2 polls roma-dr-us-west-2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TaskQueues.forRegion("US West"));
        assertTrue(e.getMessage().contains("is not a region name such as us-west-2"), e.getMessage());
    }
}
