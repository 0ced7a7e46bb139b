package io.romadr.cli;

import io.romadr.report.ScenarioReport;
import io.romadr.temporal.RecoveryFollower;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * Shows a followed recovery's progress: on a terminal one line rewritten about once a second, otherwise a plain line
 * whenever the step, round or RTO state changes.
 */
final class Watcher implements RecoveryFollower.Listener {
    static final Duration INTERVAL = Duration.ofSeconds(1);

    private final PrintWriter out;
    private final boolean live;
    private final String taskQueue;
    private String lastKey;
    private int width;

    Watcher(PrintWriter out, boolean live, String taskQueue) {
        this.out = out;
        this.live = live;
        this.taskQueue = taskQueue;
    }

    @Override
    public void onProgress(ScenarioReport p) {
        show(ProgressLine.format(p, System.currentTimeMillis()), ProgressLine.key(p));
    }

    @Override
    public void onNoProgress() {
        show(ProgressLine.noProgress(taskQueue), "");
    }

    /** The result is printed by the command; a rewritten line is ended first. */
    @Override
    public void onReport(ScenarioReport report) {
        if (live && width > 0) {
            out.println();
            out.flush();
        }
    }

    private void show(String line, String key) {
        if (live) {
            out.print('\r' + line + " ".repeat(Math.max(0, width - line.length())));
            width = line.length();
        } else if (!key.equals(lastKey)) {
            out.println(line);
            lastKey = key;
        }
        out.flush();
    }

    /** Whether stdout is a terminal a carriage return can rewrite. */
    static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try { // Java 22+: System.console() is non-null even when redirected.
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
