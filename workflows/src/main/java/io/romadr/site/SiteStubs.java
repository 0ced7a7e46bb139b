package io.romadr.site;

import io.romadr.backup.BackupActivities;
import io.romadr.corruption.DataRecoveryActivities;
import io.romadr.runtime.Retries;
import io.romadr.runtime.Steps;
import io.temporal.activity.ActivityOptions;
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
        provisioning = steps.stub(SiteActivities.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(5))
                        .setRetryOptions(Retries.of(5)).build());
        // (Version 1) provisioning heartbeats like every site activity: a dead worker costs seconds, not 5 minutes.
        provisioningHeartbeating = steps.stub(SiteActivities.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(5))
                        .setHeartbeatTimeout(HEARTBEAT).setRetryOptions(Retries.of(5)).build());
        // Waiting, commands, copies and restores: long, heartbeating; a crashed worker's attempt is retried.
        server = steps.stub(SiteActivities.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofHours(2))
                        .setHeartbeatTimeout(HEARTBEAT).setRetryOptions(Retries.of(SERVER_ATTEMPTS)).build());
        // DNS waits for INSYNC; compensation must get through, so it is retried longest.
        dns = steps.stub(SiteActivities.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(15))
                        .setHeartbeatTimeout(HEARTBEAT).setRetryOptions(Retries.of(DNS_ATTEMPTS)).build());
        compensating = steps.stub(SiteActivities.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(15))
                        .setHeartbeatTimeout(HEARTBEAT).setRetryOptions(Retries.of(COMPENSATION_ATTEMPTS)).build());
        backups = steps.stub(BackupActivities.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofHours(1))
                        .setHeartbeatTimeout(Duration.ofSeconds(30)).setRetryOptions(Retries.of(5)).build());
        data = steps.stub(DataRecoveryActivities.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofHours(1))
                        .setHeartbeatTimeout(Duration.ofSeconds(30)).setRetryOptions(Retries.of(5)).build());
    }
}
