package io.romadr.scenario.servicefailure;

import static io.romadr.scenario.servicefailure.ServiceRecoveryWorkflowImpl.ACTION_ATTEMPTS;
import static io.romadr.scenario.servicefailure.ServiceRecoveryWorkflowImpl.HEARTBEAT;
import static io.romadr.scenario.servicefailure.ServiceRecoveryWorkflowImpl.REBUILD_ATTEMPTS;

import io.romadr.plan.CommandStep;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.RecoverySettings;
import io.romadr.plan.ServiceSpec;
import io.romadr.runtime.Retries;
import io.romadr.runtime.Steps;
import io.temporal.common.RetryOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Activity stubs whose timeouts follow the plan. */
final class ServiceStubs {
    private final Steps steps;

    final ServiceActivities quick;
    final ServiceActivities acting;
    final ServiceActivities waiting;

    static RetryOptions retries(int maxAttempts) {
        return Retries.of(maxAttempts, Duration.ofSeconds(10));
    }

    /**
     * {@code observeInTask}: the quick reads (assess, a round of checks, verify) are local activities, run inside
     * the workflow task ({@link Steps#localStub}); same timeout and attempts, no heartbeat.
     */
    ServiceStubs(Steps steps, RecoveryPlan plan, boolean sizedToTheirWork, boolean observeInTask) {
        this.steps = steps;
        RecoverySettings s = plan.recovery();
        int containers = plan.service().containers().size();
        // Short reads (assess, one round of checks). Version 1: they heartbeat while they wait on the engine
        // or a check, so a dead worker costs seconds; the checks run in parallel, so the longest one bounds a
        // round. Before it: no heartbeat, a minute per attempt.
        quick = observeInTask
                ? steps.localStub(ServiceActivities.class, Duration.ofSeconds(15).plus(longestCheck(plan.service())),
                        retries(ACTION_ATTEMPTS))
                : sizedToTheirWork
                        ? steps.stub(ServiceActivities.class, Duration.ofSeconds(15).plus(longestCheck(plan.service())),
                                HEARTBEAT, retries(ACTION_ATTEMPTS))
                        : steps.stub(ServiceActivities.class, Duration.ofMinutes(1), null, retries(ACTION_ATTEMPTS));
        // Stopping waits up to stopTimeout per container before the engine kills it.
        acting = steps.stub(ServiceActivities.class, s.stopTimeout().multipliedBy(containers).plusMinutes(2),
                HEARTBEAT, retries(ACTION_ATTEMPTS));
        waiting = steps.stub(ServiceActivities.class, s.waitHealthy().plusMinutes(1), HEARTBEAT,
                retries(ACTION_ATTEMPTS));
    }

    /** The watch: as long as the window, heartbeating, so a dead worker is noticed in seconds and resumed. */
    ServiceActivities watcher(ServiceSpec service, Duration window) {
        return steps.stub(ServiceActivities.class, window.plusMinutes(1).plus(longestCheck(service)), HEARTBEAT,
                retries(ACTION_ATTEMPTS));
    }

    ServiceActivities rebuildStub(CommandStep step) {
        return steps.stub(ServiceActivities.class, step.timeout().plusMinutes(1), Duration.ofSeconds(30),
                retries(REBUILD_ATTEMPTS));
    }

    private static Duration longestCheck(ServiceSpec service) {
        Duration longest = Duration.ZERO;
        List<HealthCheck> all = new ArrayList<>(service.healthChecks());
        all.addAll(service.smoke());
        for (HealthCheck c : all) {
            Duration t = c.http() != null ? c.http().timeout() : c.exec().timeout();
            if (t != null && t.compareTo(longest) > 0) {
                longest = t;
            }
        }
        return longest;
    }
}
