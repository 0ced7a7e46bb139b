package io.romadr.scenario.siteloss;

import io.romadr.backup.BackupActivities;
import io.romadr.scenario.datacorruption.DataRecoveryActivities;
import io.romadr.runtime.Retries;
import io.romadr.runtime.Steps;
import java.time.Duration;

/** Scenario 3's activity stubs: the timeouts and retries of each kind of step. Workflow-side. */
final class SiteStubs {
    /**
     * The site activities heartbeat every second from a ticker thread; a worker that dies mid-step is noticed after
     * this long and the step is retried on another worker.
     */
    static final Duration HEARTBEAT = Duration.ofSeconds(10);

    static final int SERVER_ATTEMPTS = 4;
    static final int DNS_ATTEMPTS = 6;
    static final int COMPENSATION_ATTEMPTS = 10;

    final SiteActivities provisioning;
    final SiteActivities provisioningHeartbeating;
    final SiteActivities server;
    final SiteActivities dns;
    final SiteActivities compensating;
    final BackupActivities backups;
    final DataRecoveryActivities data;

    SiteStubs(Steps steps) {
        provisioning = steps.stub(SiteActivities.class, Duration.ofMinutes(5), null, Retries.of(5));
        // (Version 1) provisioning heartbeats like every site activity: a dead worker costs seconds, not 5 minutes.
        provisioningHeartbeating = steps.stub(SiteActivities.class, Duration.ofMinutes(5), HEARTBEAT, Retries.of(5));
        // Waiting, commands, copies and restores: long, heartbeating; a crashed worker's attempt is retried.
        server = steps.stub(SiteActivities.class, Duration.ofHours(2), HEARTBEAT, Retries.of(SERVER_ATTEMPTS));
        // DNS waits for INSYNC; compensation must get through, so it is retried longest.
        dns = steps.stub(SiteActivities.class, Duration.ofMinutes(15), HEARTBEAT, Retries.of(DNS_ATTEMPTS));
        compensating = steps.stub(SiteActivities.class, Duration.ofMinutes(15),
                HEARTBEAT, Retries.of(COMPENSATION_ATTEMPTS));
        backups = steps.stub(BackupActivities.class, Duration.ofHours(1), Duration.ofSeconds(30), Retries.of(5));
        data = steps.stub(DataRecoveryActivities.class, Duration.ofHours(1), Duration.ofSeconds(30), Retries.of(5));
    }
}
