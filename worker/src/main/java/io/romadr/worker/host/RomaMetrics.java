package io.romadr.worker.host;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.romadr.backup.LagSummary;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * roma-dr's own metrics, next to the Temporal SDK's in the same registry. The Prometheus names (documented with their
 * labels in {@code docs/monitoring.md}; the shipped rules and dashboard depend on them, so they do not change):
 * <ul>
 *   <li>host: {@code romadr_recoveries_started_total{plan,source}}, {@code romadr_webhook_requests_total{endpoint,
 *       outcome}}, {@code romadr_webhook_alerts_total{endpoint,action}},
 *       {@code romadr_codec_requests_total{operation,outcome}};</li>
 *   <li>finished runs on this worker ({@link RecoveryOutcomeInterceptor}, {@link BackupOutcomeInterceptor}):
 *       {@code romadr_recovery_duration_seconds}, {@code romadr_recovery_rto_used_ratio},
 *       {@code romadr_recovery_queue_wait_seconds} (histograms),
 *       {@code romadr_drill_last_run_timestamp_seconds}, {@code romadr_drill_last_success},
 *       {@code romadr_backup_runs_total}, {@code romadr_backup_failures_total},
 *       {@code romadr_backup_last_duration_seconds}, {@code romadr_verification_*};</li>
 *   <li>read by the collectors ({@link BackupStatusCollector}, {@link RecoveryStatusCollector}):
 *       {@code romadr_backup_last_success_timestamp_seconds}, {@code romadr_backup_age_seconds},
 *       {@code romadr_backup_last_size_bytes}, {@code romadr_backup_rpo_seconds},
 *       {@code romadr_backup_lag_seconds{plan,kind,stat}}, {@code romadr_backup_lag_samples},
 *       {@code romadr_backup_lag_limit_seconds},
 *       {@code romadr_recoveries_running}, {@code romadr_approvals_pending},
 *       {@code romadr_approval_pending_since_seconds}.</li>
 * </ul>
 */
public final class RomaMetrics {
    /** Buckets of the recovery duration: from a quick restart to a whole-site rebuild. */
    static final Duration[] DURATION_BUCKETS = {Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
            Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(15), Duration.ofMinutes(30),
            Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8)};
    /** Buckets of the time a recovery waited for a worker: none to a queue that holds a burst for minutes. */
    static final Duration[] QUEUE_WAIT_BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(
            10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
            Duration.ofMinutes(15)};
    /** Buckets of the share of the RTO budget a recovery used (1 = all of it). */
    static final double[] RTO_RATIO_BUCKETS = {0.1, 0.25, 0.5, 0.75, 0.9, 1.0, 1.25, 1.5, 2.0, 4.0};

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, AtomicReference<Double>> values = new ConcurrentHashMap<>();
    private final MultiGauge running;
    private final MultiGauge approvalsPending;
    private final MultiGauge approvalsSince;
    /** Not a Micrometer distribution: it would bucket 0.2 as 1 ({@link RatioHistogram}). */
    private final RatioHistogram rtoUsed;

    public RomaMetrics(PrometheusMeterRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    RomaMetrics(PrometheusMeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.rtoUsed = new RatioHistogram("romadr_recovery_rto_used_ratio",
                "Share of the RTO budget finished recoveries used (1 = all of it)", List.of("plan", "scenario"),
                RTO_RATIO_BUCKETS);
        registry.getPrometheusRegistry().register(rtoUsed);
        this.running = MultiGauge.builder("romadr_recoveries_running")
                .description("Recoveries running now, by plan and scenario (from Temporal)").register(registry);
        this.approvalsPending = MultiGauge.builder("romadr_approvals_pending")
                .description("Recoveries waiting for an operator's approval").register(registry);
        this.approvalsSince = MultiGauge.builder("romadr_approval_pending_since_seconds")
                .description("When the oldest pending approval was asked (epoch seconds)").register(registry);
    }

    public void recoveryStarted(String plan, String source) {
        Counter.builder("romadr.recoveries.started").description("Recoveries started by this host")
                .tag("plan", plan).tag("source", source).register(registry).increment();
    }

    public void webhookRequest(String endpoint, String outcome) {
        Counter.builder("romadr.webhook.requests").description("Webhook requests by outcome")
                .tag("endpoint", endpoint).tag("outcome", outcome).register(registry).increment();
    }

    public void webhookAction(String endpoint, String action) {
        Counter.builder("romadr.webhook.alerts").description("What each alert or request did")
                .tag("endpoint", endpoint).tag("action", action).register(registry).increment();
    }

    /**
     * A backup event ({@code kind} git or images) from {@code source} (github, gitlab, gitea, forgejo, registry) and
     * what it did: {@code signalled} (a backup run started or a follow-up is pending), {@code ignored} (not for a
     * plan's backup), {@code duplicate}.
     */
    public void backupEvent(String plan, String kind, String source, String outcome) {
        Counter.builder("romadr.backup.events").description("Backup events received by this host, by what they did")
                .tag("plan", plan).tag("kind", kind).tag("source", source).tag("outcome", outcome).register(registry)
                .increment();
    }

    /** A codec endpoint request ({@code encode}, {@code decode}, {@code preflight}) and its outcome. */
    public void codecRequest(String operation, String outcome) {
        Counter.builder("romadr.codec.requests").description("Codec endpoint requests by operation and outcome")
                .tag("operation", operation).tag("outcome", outcome).register(registry).increment();
    }

    // ---- finished runs (called by the interceptors, never while a workflow is replayed) -------------------------

    /**
     * A finished recovery waited {@code wait} between its request and its first step (in the task queue, for a
     * worker): time its RTO counted and no step of it ran.
     */
    public void recoveryQueued(String plan, String scenario, Duration wait) {
        Timer.builder("romadr_recovery_queue_wait").description(
                "How long finished recoveries waited for a worker between their request and their first step")
                .tags("plan", plan, "scenario", scenario).serviceLevelObjectives(QUEUE_WAIT_BUCKETS)
                .register(registry).record(wait);
    }

    /** A recovery finished: its duration and the share of its RTO budget it used. */
    public void recoveryFinished(String plan, String scenario, String outcome, Duration duration, double rtoShare) {
        Timer.builder("romadr_recovery_duration").description("How long finished recoveries took")
                .tags("plan", plan, "scenario", scenario, "outcome", outcome)
                .serviceLevelObjectives(DURATION_BUCKETS).register(registry).record(duration);
        rtoUsed.observe(rtoShare, plan, scenario);
    }

    /** A recovery a drill started finished. */
    public void drillFinished(String plan, String scenario, long finishedAtMillis, boolean recovered) {
        Tags tags = Tags.of("plan", plan, "scenario", scenario);
        set("romadr_drill_last_run_timestamp_seconds", "When the last drill's recovery finished", tags,
                finishedAtMillis / 1000.0);
        set("romadr_drill_last_success", "1 when the last drill recovered within its RTO", tags, recovered ? 1 : 0);
    }

    /** A backup run of {@code kind} finished on this worker. */
    public void backupFinished(String plan, String kind, boolean succeeded, Duration duration) {
        Tags tags = Tags.of("plan", plan, "kind", kind);
        Counter.builder("romadr_backup_runs").description("Backup runs finished on this worker")
                .tags(tags.and("outcome", succeeded ? "SUCCEEDED" : "FAILED")).register(registry).increment();
        Counter failures = backupFailures(plan, kind);
        if (!succeeded) {
            failures.increment();
        }
        set("romadr_backup_last_duration_seconds", "How long the last backup run on this worker took", tags,
                duration.toMillis() / 1000.0);
    }

    /** Registers the failure counter at 0, so the first failure is an increase Prometheus sees. */
    Counter backupFailures(String plan, String kind) {
        return Counter.builder("romadr_backup_failures").description("Failed backup runs on this worker")
                .tags("plan", plan, "kind", kind).register(registry);
    }

    /** A verification run finished: rows per kind and status, whether all were OK, and when. */
    public void verificationFinished(String plan, Map<String, Map<String, Long>> rowsByKindAndStatus, boolean ok,
            long finishedAtMillis) {
        rowsByKindAndStatus.forEach((kind, statuses) -> statuses.forEach((status, count) -> set(
                "romadr_verification_rows", "Rows of the last verification by kind and status",
                Tags.of("plan", plan, "kind", kind, "status", status), count)));
        Tags tags = Tags.of("plan", plan);
        set("romadr_verification_last_run_timestamp_seconds", "When the last verification finished", tags,
                finishedAtMillis / 1000.0);
        set("romadr_verification_ok", "1 when every row of the last verification was OK", tags, ok ? 1 : 0);
    }

    // ---- read from the stores and from Temporal (the collectors) ------------------------------------------------

    /** The plan's recovery point objective for {@code kind}: the rules compare the backup's age with it. */
    public void backupRpo(String plan, String kind, Duration rpo) {
        set("romadr_backup_rpo_seconds", "The plan's RPO for this kind of backup", Tags.of("plan", plan, "kind", kind),
                rpo.toMillis() / 1000.0);
    }

    /**
     * The measured lag of {@code kind} over the last week ({@link io.romadr.backup.MeasuredRpo}): {@code stat} p50,
     * p99, max and last (the newest sample), how many samples, and the limit the verification and the alert hold it
     * to (the RPO plus the plan's slack). Nothing measured: the stats are NaN, so no rule compares them.
     */
    public void backupLag(String plan, String kind, LagSummary lag, Duration limit) {
        Tags tags = Tags.of("plan", plan, "kind", kind);
        boolean measured = lag.samples() > 0;
        Map.of("p50", lag.p50Millis(), "p99", lag.p99Millis(), "max", lag.maxMillis(), "last", lag.lastMillis())
                .forEach((stat, millis) -> set("romadr_backup_lag_seconds",
                        "Measured lag of the kind over the last 7 days: event to backup committed, or the interval "
                                + "between scheduled backups",
                        tags.and("stat", stat), measured ? millis / 1000.0 : Double.NaN));
        set("romadr_backup_lag_samples", "How many lags were measured over the last 7 days", tags, lag.samples());
        set("romadr_backup_lag_limit_seconds", "The largest lag the plan allows for the kind: its RPO plus rpoSlack",
                tags, limit.toMillis() / 1000.0);
    }

    /** The newest stored backup of {@code kind}: when it was made and its size; its age follows from the clock. */
    public void backupStored(String plan, String kind, long createdAtMillis, long sizeBytes) {
        Tags tags = Tags.of("plan", plan, "kind", kind);
        AtomicReference<Double> last = set("romadr_backup_last_success_timestamp_seconds",
                "When the newest stored backup was made (epoch seconds)", tags, createdAtMillis / 1000.0);
        set("romadr_backup_last_size_bytes", "Size of the newest stored backup", tags, sizeBytes);
        Gauge.builder("romadr_backup_age_seconds", last, l -> clock.millis() / 1000.0 - l.get())
                .description("Age of the newest stored backup").tags(tags).strongReference(true).register(registry);
    }

    /** The recoveries running now; rows that are gone disappear from the next scrape. */
    public void recoveriesRunning(Map<Tags, Long> byPlanAndScenario) {
        running.register(rows(byPlanAndScenario), true);
    }

    /** Pending approvals by plan and scenario, with when the oldest of each was asked (epoch millis). */
    public void approvalsPending(Map<Tags, Long> countByTags, Map<Tags, Long> oldestRequestedAtMillis) {
        approvalsPending.register(rows(countByTags), true);
        approvalsSince.register(oldestRequestedAtMillis.entrySet().stream()
                .map(e -> MultiGauge.Row.of(e.getKey(), e.getValue() / 1000.0)).toList(), true);
    }

    /** A collector could not read something (a store, a plan, Temporal); it keeps the values it read last. */
    public void collectorError(String collector) {
        Counter.builder("romadr_collector_errors").description("What the metric collectors could not read")
                .tag("collector", collector).register(registry).increment();
    }

    public MeterRegistry registry() {
        return registry;
    }

    private static List<MultiGauge.Row<?>> rows(Map<Tags, Long> counts) {
        return counts.entrySet().stream().<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(e.getKey(), e.getValue()))
                .toList();
    }

    /** A gauge holding the last value set (one holder per name and labels, kept for the registry's life). */
    private AtomicReference<Double> set(String name, String description, Tags tags, double value) {
        AtomicReference<Double> holder = values.computeIfAbsent(name + tags, k -> {
            AtomicReference<Double> h = new AtomicReference<>(value);
            Gauge.builder(name, h, AtomicReference::get).description(description).tags(tags)
                    .strongReference(true).register(registry);
            return h;
        });
        holder.set(value);
        return holder;
    }
}
