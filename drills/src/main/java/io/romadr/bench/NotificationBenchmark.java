package io.romadr.bench;

import static io.romadr.bench.BenchmarkSupport.mean;
import static io.romadr.bench.BenchmarkSupport.median;
import static io.romadr.bench.BenchmarkSupport.rank;
import static io.romadr.bench.BenchmarkSupport.sorted;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.activities.notify.LoopbackReceiver;
import io.romadr.activities.notify.NotificationSettings;
import io.romadr.activities.notify.NotificationSettings.SecretRef;
import io.romadr.drill.DrillEnvironment;
import io.romadr.plan.PlanRepository;
import io.romadr.report.Outcome;
import io.romadr.report.StepRecord;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.scenario.servicefailure.ServiceRecoveryRequest;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.worker.EmbeddedTemporal;
import io.romadr.worker.RomaWorker;
import io.romadr.worker.SearchAttributesRegistrar;
import io.romadr.worker.TemporalConnection;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What notifications add to a Scenario 1 recovery: the same restart of the same killed container, once with a plan that
 * tells nobody and once with a plan whose every event goes to one contact on four channels (PagerDuty, Slack and a
 * signed webhook answered by loopback receivers, and an Alertmanager that is down: connection refused), alternating
 * in one process on one worker. Deliveries are asynchronous activities, so the recovery's own clock should not see
 * them. Reported: roma-dr's "recovered in" (the report's RTO actual: start to verified healthy), and the wall time
 * to the workflow's result (which includes the bounded wait for the last deliveries before the report is written).
 *
 * <p>Run: {@code bench/notification-benchmark.sh [RUNS]}.
 */
public final class NotificationBenchmark {
    static final String TASK_QUEUE = "roma-dr-bench-notify";
    static final String VICTIM = "roma";

    private NotificationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 1 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 10;
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1");
        }
        System.out.print(run(runs, BenchmarkSupport.command(NotificationBenchmark.class, args)));
        System.out.flush();
        System.exit(0); // the SDK's non-daemon threads must not keep the JVM alive
    }

    private record Round(long recoveredMillis, long wallMillis, int deliveries) {
    }

    private static String run(int runs, String command) throws Exception {
        DockerClient docker = DrillEnvironment.docker("benchmark");
        String image = SandboxImage.ensure(docker);
        Path work = Files.createTempDirectory("roma-dr-bench-notify-");
        Path plansDir = Files.createDirectories(work.resolve("plans"));
        String project = "romadr-bnotify-" + UUID.randomUUID().toString().substring(0, 6);
        List<Round> quiet = new ArrayList<>();
        List<Round> loud = new ArrayList<>();
        try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
                LoopbackReceiver pagerduty = LoopbackReceiver.start();
                LoopbackReceiver slack = LoopbackReceiver.start();
                LoopbackReceiver webhook = LoopbackReceiver.start()) {
            pagerduty.answer(r -> LoopbackReceiver.Answer.json(202, "{\"status\":\"success\",\"message\":\"ok\"}"));
            SandboxService sandbox = SandboxService.create(docker, project, image, SandboxService.Options.defaults());
            try (TemporalConnection connection = new TemporalConnection(temporal.address(), "default")) {
                String base = sandbox.planYaml("PLAN", "15m", "30s", "100ms", "10s", "0s", "1s");
                Files.writeString(plansDir.resolve("bench-quiet.yaml"),
                        base.replace("name: PLAN", "name: bench-quiet"));
                Files.writeString(plansDir.resolve("bench-notify.yaml"), base.replace("name: PLAN",
                        "name: bench-notify")
                        + """
                                contacts:
                                  - id: sre-oncall
                                    role: SRE On-Call
                                    channels: { alertmanager: down, pagerduty: sre-oncall, slack: sre-incidents, webhook: ops }
                                notify:
                                  routes:
                                    - events: [recovery-started, step-escalated, rto-50, rto-80, rto-breached, recovered, failed]
                                      to: [sre-oncall]
                                """);
                NotificationSettings settings = new NotificationSettings("http://127.0.0.1:8233", Duration.ofSeconds(2),
                        Map.of("down", new NotificationSettings.AlertmanagerTarget(
                                LoopbackReceiver.refusingUrl(""), null, null, null)),
                        new NotificationSettings.PagerDutySettings(pagerduty.url("/v2/enqueue"),
                                Map.of("sre-oncall", new SecretRef(null, "BENCH_PD_KEY"))),
                        Map.of("sre-incidents", new SecretRef(null, "BENCH_SLACK_URL")), null,
                        Map.of("ops", new NotificationSettings.WebhookTarget(new SecretRef(null, "BENCH_HOOK_URL"),
                                new SecretRef(null, "BENCH_HOOK_SECRET"))));
                Map<String, String> env = Map.of("BENCH_PD_KEY", "B3NCHKEY000000000000000000000000",
                        "BENCH_SLACK_URL", slack.url("/services/T000/B000/XXXX"),
                        "BENCH_HOOK_URL", webhook.url("/hook"), "BENCH_HOOK_SECRET", "bench-hmac-secret");
                SearchAttributesRegistrar.ensure(connection.service(), "default");
                PlanRepository plans = new PlanRepository(plansDir);
                RomaWorker.Activities activities = RomaWorker.Activities.production(plans, docker, settings)
                        .withNotifications(io.romadr.activities.notify.NotificationChannels.production(settings, env));
                try (RomaWorker worker = new RomaWorker(connection.client(), TASK_QUEUE, activities)) {
                    worker.start();
                    sandbox.awaitHealthy(Duration.ofSeconds(30));
                    for (int round = 0; round <= runs; round++) { // round 0 is the warm-up
                        Round q = once(connection.client(), sandbox, docker, "bench-quiet", round);
                        Round l = once(connection.client(), sandbox, docker, "bench-notify", round);
                        System.err.printf(Locale.ROOT, "%s %2d: quiet %5d ms (wall %5d), four channels %5d ms "
                                + "(wall %5d, %d deliveries)%n", round == 0 ? "warmup" : "run   ", round,
                                q.recoveredMillis, q.wallMillis, l.recoveredMillis, l.wallMillis, l.deliveries);
                        if (round > 0) {
                            quiet.add(q);
                            loud.add(l);
                        }
                    }
                }
                return markdown(runs, quiet, loud, pagerduty.requests().size(), slack.requests().size(),
                        webhook.requests().size(), command);
            } finally {
                sandbox.destroy();
            }
        } finally {
            DrillEnvironment.deleteTree(work);
        }
    }

    private static Round once(WorkflowClient client, SandboxService sandbox, DockerClient docker, String plan,
            int round) {
        RestartBenchmark.killAndAwaitExited(sandbox, docker); // the same victim, "roma"
        ServiceRecoveryWorkflow wf = client.newWorkflowStub(ServiceRecoveryWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(TASK_QUEUE).setWorkflowId(plan + "-" + round + "-" + UUID.randomUUID()).build());
        long t0 = System.nanoTime();
        ServiceRecoveryReport report = wf.recover(new ServiceRecoveryRequest(plan, "benchmark: " + VICTIM
                + " killed", "bench"));
        long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        if (report.outcome() != Outcome.RECOVERED || report.rtoActualMillis() == null) {
            throw new IllegalStateException(plan + " round " + round + ": not recovered: " + report.summary());
        }
        int deliveries = (int) report.timeline().stream().map(StepRecord::step).filter("notify"::equals).count();
        return new Round(report.rtoActualMillis(), wall, deliveries);
    }

    private static String markdown(int runs, List<Round> quiet, List<Round> loud, int pagerduty, int slack,
            int webhook, String command) {
        List<Long> qRec = quiet.stream().map(Round::recoveredMillis).toList();
        List<Long> lRec = loud.stream().map(Round::recoveredMillis).toList();
        List<Long> qWall = quiet.stream().map(Round::wallMillis).toList();
        List<Long> lWall = loud.stream().map(Round::wallMillis).toList();
        StringBuilder m = new StringBuilder();
        m.append("### Notifications: Scenario 1 time to healthy with and without four channels\n\n");
        m.append("- Date: ").append(ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT))).append('\n');
        m.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (nproc), ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(", Java ").append(Runtime.version()).append('\n');
        m.append("- Command: `").append(command).append("`\n");
        m.append("- Runs: ").append(runs).append(" per side, alternating, after one uncounted warm-up round of each; ")
                .append("fault before every run: `docker kill` of `").append(VICTIM).append("`\n");
        m.append("- Four channels: PagerDuty, Slack, signed webhook (loopback receivers answering at once) and an ")
                .append("Alertmanager that refuses connections (3 attempts per delivery); events recovery-started, ")
                .append("recovered and the resolutions. Received over all rounds: PagerDuty ").append(pagerduty)
                .append(", Slack ").append(slack).append(", webhook ").append(webhook).append(" requests\n\n");
        m.append("| measure | side | median ms | mean ms | min ms | max ms | p90 ms |\n");
        m.append("|---|---|---:|---:|---:|---:|---:|\n");
        row(m, "recovered in (report's RTO actual)", "no channels", qRec);
        row(m, "recovered in (report's RTO actual)", "four channels, one down", lRec);
        row(m, "wall to workflow result", "no channels", qWall);
        row(m, "wall to workflow result", "four channels, one down", lWall);
        m.append('\n');
        m.append(String.format(Locale.ROOT, "**Ratio with / without notifications, time to healthy: %.3fx (medians),"
                + " %.3fx (means); wall to result: %.2fx (medians).**%n", median(lRec) / median(qRec),
                mean(lRec) / mean(qRec), median(lWall) / median(qWall)));
        return m.toString();
    }

    private static void row(StringBuilder m, String measure, String side, List<Long> v) {
        long[] s = sorted(v);
        m.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %d | %d | %d |%n", measure, side, median(v),
                mean(v), s[0], s[s.length - 1], rank(s, 0.9)));
    }
}
