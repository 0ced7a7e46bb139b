package io.romadr.cli;

import io.romadr.plan.CommandStep;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.RecoverySettings;
import io.romadr.plan.RtoTargets;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.ServiceSpec;
import io.romadr.scenario.servicefailure.ActionResult;
import io.romadr.scenario.servicefailure.Assessment;
import io.romadr.scenario.servicefailure.CheckResult;
import io.romadr.scenario.servicefailure.ContainerStatus;
import io.romadr.scenario.servicefailure.HealthRequest;
import io.romadr.scenario.servicefailure.HealthResult;
import io.romadr.scenario.servicefailure.RecreateRequest;
import io.romadr.scenario.servicefailure.RestartRequest;
import io.romadr.scenario.servicefailure.ServiceActivities;
import io.temporal.activity.Activity;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Hand-written fakes for the worker in the CLI tests. The plan name picks the behaviour (the compose project is
 * named after the plan): {@code broken*} never becomes healthy; {@code slow*} waits for {@link #RELEASE} (so the
 * workflow stays running); {@code late*} has a one-second RTO and takes two seconds to recover; anything else
 * has an exited container that a restart fixes.
 */
final class FakeActivities {
    static volatile CountDownLatch RELEASE = new CountDownLatch(1);

    private FakeActivities() {
    }

    static RecoveryPlan plan(String name) {
        ServiceSpec service = new ServiceSpec(name,
                List.of(new ServiceContainer("app", null)),
                List.of(new HealthCheck("http", new HttpCheck("http://127.0.0.1:8080/health", 200, null), null)),
                List.of(), List.of(), 10);
        RecoverySettings settings = new RecoverySettings(Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(30), 0);
        Duration rto = name.startsWith("late") ? Duration.ofSeconds(1) : Duration.ofMinutes(15);
        // Plans named nobackup* have no backup section.
        io.romadr.plan.BackupSpec backup = name.startsWith("nobackup")
                ? null
                : new io.romadr.plan.BackupSpec(
                        new io.romadr.plan.BackupStore("file:///tmp/roma-dr-cli-test", null, null, null),
                        new io.romadr.plan.StateBackupSpec("app", "/state"),
                        new io.romadr.plan.ArtifactBackupSpec("app", "/out", List.of("*.json"), null), null, null, null,
                        null, null, null);
        return new RecoveryPlan(name, "CLI test plan", service, new RtoTargets(rto, null, null, null, null), null,
                settings, backup, null, null, null);
    }

    static final class Plans implements PlanActivities {
        @Override
        public RecoveryPlan loadPlan(String name) {
            return name.startsWith("site") ? FakeSiteActivities.plan(name) : plan(name);
        }
    }

    static final class Service implements ServiceActivities {
        @Override
        public Assessment assess(ServiceSpec service) {
            return new Assessment(true, "27.0", 1L << 30, 1L << 32,
                    List.of(new ContainerStatus("app", "c1", service.composeProject() + "-app-1", "exited", "", 137,
                            0, "")),
                    List.of(), 1);
        }

        @Override
        public ActionResult restart(RestartRequest request) {
            return new ActionResult(true, "restarted app", 1);
        }

        @Override
        public ActionResult recreate(RecreateRequest request) {
            return new ActionResult(true, "recreated app", 1);
        }

        @Override
        public ActionResult runCommand(CommandStep step) {
            return new ActionResult(true, "ran " + step.name(), 1);
        }

        @Override
        public HealthResult waitHealthy(HealthRequest request) {
            String project = request.composeProject();
            if (project.startsWith("slow")) {
                awaitRelease();
            } else if (project.startsWith("late")) {
                sleepHeartbeating(2_000);
            }
            return result(!project.startsWith("broken"));
        }

        @Override
        public HealthResult watch(HealthRequest request) {
            return check(request);
        }

        @Override
        public HealthResult check(HealthRequest request) {
            return result(!request.composeProject().startsWith("broken"));
        }

        private static HealthResult result(boolean healthy) {
            return new HealthResult(healthy,
                    List.of(new CheckResult("http", healthy, healthy ? "HTTP 200" : "connection refused")), 1, 10, 1);
        }

        private static void awaitRelease() {
            long deadline = System.currentTimeMillis() + 30_000;
            try {
                while (!RELEASE.await(500, TimeUnit.MILLISECONDS) && System.currentTimeMillis() < deadline) {
                    Activity.getExecutionContext().heartbeat(null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void sleepHeartbeating(long millis) {
            long end = System.currentTimeMillis() + millis;
            try {
                while (System.currentTimeMillis() < end) {
                    Thread.sleep(Math.min(250, Math.max(1, end - System.currentTimeMillis())));
                    Activity.getExecutionContext().heartbeat(null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
