package io.romadr.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.romadr.report.TriggerNotice;
import org.junit.jupiter.api.Test;

/** What a recovery-started notice says started the run: its first trigger, else who the request names. */
class RecoveryNoticesTest {

    @Test
    void theFirstTriggerSaysWhatStartedTheRun() {
        TriggerNotice alert = new TriggerNotice("alertmanager", "alertmanager", "alert 3f2a", "firing",
                "2026-12-07T03:00:00Z", "RomaDown: roma is down");
        assertEquals("alert (alertmanager alert 3f2a at 2026-12-07T03:00:00Z: RomaDown: roma is down)",
                RecoveryNotices.describeTrigger(alert, "alertmanager"));
        TriggerNotice cli = new TriggerNotice("cli", "cli:alice", "", "requested", "", "disk full");
        assertEquals("CLI (cli (by cli:alice): disk full)", RecoveryNotices.describeTrigger(cli, "cli:alice"));
        TriggerNotice ui = new TriggerNotice("workflow-start", "", "my-id", "requested", "", "started as my-id");
        assertEquals("Web UI or API (workflow-start my-id: started as my-id)",
                RecoveryNotices.describeTrigger(ui, ""));
    }

    @Test
    void withoutATriggerTheRequestSaysWho() {
        assertEquals("CLI (cli:alice)", RecoveryNotices.describeTrigger(null, "cli:alice"));
        assertEquals("alert (alertmanager)", RecoveryNotices.describeTrigger(null, "alertmanager"));
        assertEquals("drill", RecoveryNotices.describeTrigger(null, "drill"));
        assertEquals("schedule", RecoveryNotices.describeTrigger(null, "schedule"));
        assertEquals("Web UI or API", RecoveryNotices.describeTrigger(null, ""));
        assertEquals("ops-bot", RecoveryNotices.describeTrigger(null, "ops-bot"));
    }
}
