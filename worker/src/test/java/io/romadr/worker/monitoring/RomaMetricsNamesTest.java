package io.romadr.worker.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.romadr.backup.LagSummary;
import io.romadr.worker.host.RomaMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus names and labels of roma-dr's metrics as the host's registry exports them: the rules, the
 * dashboard and docs/monitoring.md depend on them, so a rename fails here.
 */
class RomaMetricsNamesTest {
    @Test
    void namesAndLabelsAsDocumented() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RomaMetrics m = new RomaMetrics(registry);
        m.recoveryFinished("roma", "service-failure", "RECOVERED", Duration.ofSeconds(90), 0.2);
        m.recoveryQueued("roma", "service-failure", Duration.ofSeconds(7));
        m.drillFinished("roma", "service-failure", 1_700_000_000_000L, true);
        m.backupFinished("roma", "state", false, Duration.ofSeconds(3));
        m.backupRpo("roma", "state", Duration.ofHours(1));
        m.backupStored("roma", "state", 1_700_000_000_000L, 1234);
        m.verificationFinished("roma", Map.of("state", Map.of("OK", 2L, "STALE", 0L)), true, 1_700_000_000_000L);
        m.recoveriesRunning(Map.of(Tags.of("plan", "roma", "scenario", "site-loss"), 1L));
        m.approvalsPending(Map.of(Tags.of("plan", "roma", "scenario", "site-loss"), 1L),
                Map.of(Tags.of("plan", "roma", "scenario", "site-loss"), 1_700_000_000_000L));
        m.collectorError("backups");
        m.backupLag("roma", "git", new LagSummary("roma", "git", LagSummary.EVENTS, 0, 50, 3_000, 9_500, 12_000,
                2_500, 1_700_000_000_000L), Duration.ofMinutes(1));
        m.backupLag("roma", "images", LagSummary.none("roma", "images", LagSummary.EVENTS, 0), Duration.ofHours(1));
        String scrape = registry.scrape();

        for (String line : List.of(
                "romadr_recovery_duration_seconds_bucket{outcome=\"RECOVERED\",plan=\"roma\","
                        + "scenario=\"service-failure\",le=\"120.0\"} 1",
                "romadr_recovery_rto_used_ratio_bucket{plan=\"roma\",scenario=\"service-failure\",le=\"0.1\"} 0",
                "romadr_recovery_rto_used_ratio_bucket{plan=\"roma\",scenario=\"service-failure\",le=\"0.25\"} 1",
                "romadr_recovery_queue_wait_seconds_bucket{plan=\"roma\",scenario=\"service-failure\",le=\"5.0\"} 0",
                "romadr_recovery_queue_wait_seconds_bucket{plan=\"roma\",scenario=\"service-failure\",le=\"10.0\"} 1",
                "romadr_drill_last_run_timestamp_seconds{plan=\"roma\",scenario=\"service-failure\"} 1.7E9",
                "romadr_drill_last_success{plan=\"roma\",scenario=\"service-failure\"} 1",
                "romadr_backup_runs_total{kind=\"state\",outcome=\"FAILED\",plan=\"roma\"} 1",
                "romadr_backup_failures_total{kind=\"state\",plan=\"roma\"} 1",
                "romadr_backup_last_duration_seconds{kind=\"state\",plan=\"roma\"} 3",
                "romadr_backup_rpo_seconds{kind=\"state\",plan=\"roma\"} 3600",
                "romadr_backup_last_success_timestamp_seconds{kind=\"state\",plan=\"roma\"} 1.7E9",
                "romadr_backup_last_size_bytes{kind=\"state\",plan=\"roma\"} 1234",
                "romadr_verification_rows{kind=\"state\",plan=\"roma\",status=\"OK\"} 2",
                "romadr_verification_rows{kind=\"state\",plan=\"roma\",status=\"STALE\"} 0",
                "romadr_verification_ok{plan=\"roma\"} 1",
                "romadr_verification_last_run_timestamp_seconds{plan=\"roma\"} 1.7E9",
                "romadr_recoveries_running{plan=\"roma\",scenario=\"site-loss\"} 1",
                "romadr_approvals_pending{plan=\"roma\",scenario=\"site-loss\"} 1",
                "romadr_approval_pending_since_seconds{plan=\"roma\",scenario=\"site-loss\"} 1.7E9",
                "romadr_collector_errors_total{collector=\"backups\"} 1",
                "romadr_backup_lag_seconds{kind=\"git\",plan=\"roma\",stat=\"p50\"} 3",
                "romadr_backup_lag_seconds{kind=\"git\",plan=\"roma\",stat=\"p99\"} 9.5",
                "romadr_backup_lag_seconds{kind=\"git\",plan=\"roma\",stat=\"max\"} 12",
                "romadr_backup_lag_seconds{kind=\"git\",plan=\"roma\",stat=\"last\"} 2.5",
                "romadr_backup_lag_samples{kind=\"git\",plan=\"roma\"} 50",
                "romadr_backup_lag_limit_seconds{kind=\"git\",plan=\"roma\"} 60",
                "romadr_backup_lag_seconds{kind=\"images\",plan=\"roma\",stat=\"max\"} NaN",
                "romadr_backup_lag_samples{kind=\"images\",plan=\"roma\"} 0")) {
            assertTrue(scrape.lines().anyMatch(l -> l.equals(line) || l.equals(line + ".0")),
                    () -> "missing " + line + " in\n" + scrape);
        }
        assertTrue(scrape.contains("romadr_backup_age_seconds{kind=\"state\",plan=\"roma\"}"), scrape);

        // Rows a collector no longer reports disappear.
        m.recoveriesRunning(Map.of());
        assertEquals(false, registry.scrape().contains("romadr_recoveries_running{"));
    }
}
