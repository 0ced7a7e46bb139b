package io.romadr.worker.monitoring;

import io.romadr.activities.LocalServerProcess;
import java.nio.file.Path;

/** Where the shipped monitoring files are (tests run in the worker module) and the Prometheus binaries. */
final class MonitoringFiles {
    static final Path PROMETHEUS_DIR = Path.of("..", "deploy", "prometheus").toAbsolutePath().normalize();
    static final Path RULES = PROMETHEUS_DIR.resolve("roma-dr-rules.yml");
    static final Path RULES_TEST = PROMETHEUS_DIR.resolve("roma-dr-rules.test.yml");
    static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "roma-dr-dashboard.json").toAbsolutePath()
            .normalize();
    /** The job name the rules and the dashboard expect. */
    static final String JOB = "roma-dr-worker";

    private MonitoringFiles() {
    }

    static String promtool() {
        return LocalServerProcess.executable("ROMA_DR_PROMTOOL", "Debian: apt-get install prometheus "
                + "(scripts/test installs it)", "promtool");
    }

    static String prometheus() {
        return LocalServerProcess.executable("ROMA_DR_PROMETHEUS", "Debian: apt-get install prometheus "
                + "(scripts/test installs it)", "prometheus");
    }
}
