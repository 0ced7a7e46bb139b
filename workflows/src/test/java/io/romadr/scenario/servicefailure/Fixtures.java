package io.romadr.scenario.servicefailure;

import io.romadr.plan.CommandStep;
import io.romadr.plan.ContainerTemplate;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.RecoverySettings;
import io.romadr.plan.RtoTargets;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.ServiceSpec;
import java.time.Duration;
import java.util.List;

/** Plans and activity results for the workflow's unit tests. */
final class Fixtures {
    private Fixtures() {
    }

    static RecoveryPlan plan(Duration rto, Duration watchWindow, List<CommandStep> rebuild) {
        ServiceSpec service = new ServiceSpec("roma",
                List.of(new ServiceContainer("roma", new ContainerTemplate("roma:1", null, null, null, null, null,
                        null, null))),
                List.of(new HealthCheck("http", new HttpCheck("http://127.0.0.1:8080/health", 200, null), null)),
                List.of(), rebuild, 10);
        RecoverySettings settings = new RecoverySettings(Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofSeconds(5), watchWindow, Duration.ofSeconds(30), 1);
        return new RecoveryPlan("roma", "test", service, new RtoTargets(rto, null, null, null, null), null,
                settings, null, null, null, null);
    }

    /** roma and roma-api, with a short RTO (so a step whose workers keep dying is not called again for long). */
    static RecoveryPlan twoServices(Duration rto) {
        ServiceSpec service = new ServiceSpec("roma",
                List.of(new ServiceContainer("roma", new ContainerTemplate("roma:1", null, null, null, null, null,
                        null, null)),
                        new ServiceContainer("roma-api", new ContainerTemplate("roma-api:1", null, null, null, null,
                                null, null, null))),
                List.of(new HealthCheck("http", new HttpCheck("http://127.0.0.1:8080/health", 200, null), null)),
                List.of(), List.of(), 10);
        RecoverySettings settings = new RecoverySettings(Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(30), 1);
        return new RecoveryPlan("roma", "test", service, new RtoTargets(rto, null, null, null, null), null,
                settings, null, null, null, null);
    }

    /** roma exited, roma-api running: only roma is broken. */
    static Assessment romaExitedApiRunning(int attempt) {
        return new Assessment(true, "20.10", 1L << 30, 1L << 32,
                List.of(new ContainerStatus("roma", "c1", "roma-roma-1", "exited", "", 137, 0, ""),
                        new ContainerStatus("roma-api", "c2", "roma-roma-api-1", "running", "", 0, 0, "")),
                List.of(), attempt);
    }

    static RecoveryPlan plan() {
        return plan(Duration.ofMinutes(15), Duration.ofMinutes(2), List.of());
    }

    static Assessment exited() {
        return new Assessment(true, "20.10", 1L << 30, 1L << 32,
                List.of(new ContainerStatus("roma", "c1", "roma-roma-1", "exited", "", 137, 0, "")), List.of(), 1);
    }

    static Assessment missing() {
        return new Assessment(true, "20.10", 1L << 30, 1L << 32, List.of(), List.of("roma"), 1);
    }

    static Assessment running() {
        return new Assessment(true, "20.10", 1L << 30, 1L << 32,
                List.of(new ContainerStatus("roma", "c1", "roma-roma-1", "running", "", 0, 0, "")), List.of(), 1);
    }

    static HealthResult healthy() {
        return new HealthResult(true, List.of(new CheckResult("http", true, "HTTP 200")), 1, 10, 1);
    }

    /** A watch that saw the service healthy for its whole window: a probe per interval. */
    static HealthResult watched(HealthRequest request) {
        int probes = (int) Math.max(1, request.within().toMillis() / request.pollInterval().toMillis());
        return new HealthResult(true, List.of(new CheckResult("http", true, "HTTP 200")), probes,
                request.within().toMillis(), 1);
    }

    static HealthResult unhealthy() {
        return new HealthResult(false, List.of(new CheckResult("http", false, "connection refused")), 5, 30_000, 1);
    }

    static ActionResult done(String what) {
        return new ActionResult(true, what, 1);
    }
}
