package io.romadr.worker.host;

import io.romadr.plan.PlanRepository;
import io.romadr.report.TriggerNotice;
import io.romadr.temporal.RecoveryStarter;

/**
 * The webhooks' side of {@link RecoveryStarter}: the plan's {@code recovery.concurrentScenarios} read from the
 * host's plans directory, the scenario's request built from who asks and why, and started recoveries counted.
 */
final class RecoveryTriggers {
    private final TemporalWorkerManaged temporal;
    private final PlanRepository plans;
    private final RomaMetrics metrics;

    RecoveryTriggers(TemporalWorkerManaged temporal, PlanRepository plans, RomaMetrics metrics) {
        this.temporal = temporal;
        this.plans = plans;
        this.metrics = metrics;
    }

    /** {@code detectedAt}: when the incident was detected (RFC 3339), null if the caller does not say. */
    RecoveryStarter.Outcome start(String scenario, String plan, String reason, String detectedAt,
            TriggerNotice notice) {
        boolean concurrent = RecoveryStarter.concurrentScenarios(() -> plans.load(plan));
        RecoveryStarter.Outcome outcome = starter().start(scenario, plan,
                RecoveryStarter.request(scenario, plan, notice.source(), reason, detectedAt), notice, concurrent);
        if (outcome.action() == RecoveryStarter.Action.STARTED) {
            metrics.recoveryStarted(plan, notice.source());
        }
        return outcome;
    }

    boolean notice(String scenario, String plan, TriggerNotice notice) {
        return starter().notice(scenario, plan, notice);
    }

    /** A fresh one per call: the client exists only once the managed worker has connected. */
    private RecoveryStarter starter() {
        return new RecoveryStarter(temporal.client(), temporal.taskQueue());
    }
}
