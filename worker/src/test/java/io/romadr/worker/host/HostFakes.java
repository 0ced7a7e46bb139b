package io.romadr.worker.host;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.notify.NotificationSettings;
import io.romadr.plan.CommandStep;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.PlanRepository;
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
import io.romadr.activities.notify.NotificationSettings;
import io.romadr.worker.RomaWorker;
import io.temporal.activity.Activity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The worker host under test: real Dropwizard, real (embedded) Temporal, real workflow; fake activities, so no
 * container is touched. The plan name picks the behaviour: {@code slow*} stays in "wait healthy" until
 * {@link #release()} (so the recovery is running while alerts repeat), {@code late*} breaches a one-second RTO,
 * anything else is restarted and healthy at once.
 */
public final class HostFakes {
    // Generated per run: no credential, even a test one, is committed.
    static final String BEARER = "am-token-" + java.util.UUID.randomUUID();
    static final String BASIC_PASSWORD = "am-password-" + java.util.UUID.randomUUID();
    static final String HMAC_KEY = "hmac-key-" + java.util.UUID.randomUUID();

    private static volatile boolean released;

    private HostFakes() {
    }

    /** Lets every {@code slow*} recovery finish, until {@link #hold()}. */
    static void release() {
        released = true;
    }

    /** From now on {@code slow*} recoveries wait in "wait healthy". */
    static void hold() {
        released = false;
    }

    /**
     * A plans directory with valid plans {@code roma}, {@code slow}, {@code late} and {@code slowui} (the seed plan, renamed),
     * deleted when the test JVM exits (the hosts that read it live as long as their test class, some made in static
     * initialisers where no JUnit temporary directory exists yet).
     */
    static Path plansDir() {
        try {
            Path dir = Files.createTempDirectory("roma-dr-host-plans");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            String seed = Files.readString(Path.of("../deploy/plans/roma.yaml"));
            for (String name : List.of("roma", "slow", "late", "slowui")) {
                Files.writeString(dir.resolve(name + ".yaml"), seed.replaceFirst("(?m)^name: roma$", "name: " + name));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    /** The application with the fakes, the test credentials as its environment. */
    public static class App extends RomaDrApplication {
        @Override
        protected RomaWorker.Activities activities(PlanRepository plans, DockerClient docker,
                NotificationSettings notifications) {
            return new RomaWorker.Activities(new Plans(), new Service());
        }

        @Override
        protected Map<String, String> environment() {
            return Map.of("TEST_AM_TOKEN", BEARER, "TEST_AM_PASSWORD", BASIC_PASSWORD, "TEST_HMAC", HMAC_KEY);
        }

        @Override
        protected Clock clock() {
            return Clock.systemUTC();
        }
    }

    static RecoveryPlan plan(String name) {
        ServiceSpec service = new ServiceSpec(name, List.of(new ServiceContainer("app", null)),
                List.of(new HealthCheck("http", new HttpCheck("http://127.0.0.1:9/health", 200, null), null)),
                List.of(), List.of(), 10);
        RecoverySettings settings = new RecoverySettings(Duration.ofSeconds(60), Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(30), 0);
        Duration rto = name.startsWith("late") ? Duration.ofSeconds(1) : Duration.ofMinutes(15);
        return new RecoveryPlan(name, "host test plan", service, new RtoTargets(rto, null, null, null, null), null,
                settings, null, null, null, null);
    }

    static final class Plans implements PlanActivities {
        @Override
        public RecoveryPlan loadPlan(String name) {
            return plan(name);
        }
    }

    static final class Service implements ServiceActivities {
        @Override
        public Assessment assess(ServiceSpec service) {
            return new Assessment(true, "test", 1L << 30, 1L << 32, List.of(new ContainerStatus("app", "c1",
                    service.composeProject() + "-app-1", "exited", "", 137, 0, "")), List.of(), 1);
        }

        @Override
        public ActionResult restart(RestartRequest request) {
            return new ActionResult(true, "restarted", 1);
        }

        @Override
        public ActionResult recreate(RecreateRequest request) {
            return new ActionResult(true, "recreated", 1);
        }

        @Override
        public ActionResult runCommand(CommandStep step) {
            return new ActionResult(true, "ran " + step.name(), 1);
        }

        @Override
        public HealthResult waitHealthy(HealthRequest request) {
            if (request.composeProject().startsWith("slow")) {
                awaitRelease();
            } else if (request.composeProject().startsWith("late")) {
                sleep(2_000);
            }
            return healthy();
        }

        @Override
        public HealthResult watch(HealthRequest request) {
            return check(request);
        }

        @Override
        public HealthResult check(HealthRequest request) {
            return healthy();
        }

        private static HealthResult healthy() {
            return new HealthResult(true, List.of(new CheckResult("http", true, "HTTP 200")), 1, 1, 1);
        }

        private static void awaitRelease() {
            long deadline = System.currentTimeMillis() + 110_000; // under wait-healthy's 2-minute timeout
            while (!released && System.currentTimeMillis() < deadline) {
                Activity.getExecutionContext().heartbeat(null);
                sleep(100);
            }
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
