package io.romadr.cli;

import io.romadr.report.Outcome;
import io.romadr.report.ReportFormatter;
import io.romadr.report.ScenarioReport;

/** The one-line views of a recovery: the live progress line and the result line. Pure formatting. */
final class ProgressLine {
    private ProgressLine() {
    }

    /**
     * {@code [03:12] step=wait-healthy round=1 queued=00:40 rto-left=11:48}; elapsed and budget come from the local
     * clock {@code now} against where the RTO clock starts (the incident), so the line keeps ticking between two
     * answers of the query. {@code queued}: how long the recovery waited for a worker (for a run that records it).
     */
    static String format(ScenarioReport p, long now) {
        long elapsed = p.startedAt() <= 0 ? 0 : now - p.startedAt();
        StringBuilder sb = new StringBuilder()
                .append('[').append(ReportFormatter.clock(elapsed)).append("] ")
                .append("step=").append(blankToDash(p.currentStep()))
                .append(" round=").append(p.round());
        if (p.incident() != null) {
            sb.append(" queued=").append(ReportFormatter.clock(p.incident().queueWaitMillis()));
        }
        sb.append(' ').append(budget(p, now));
        if (p.outcome() != null && p.outcome() != Outcome.RUNNING) {
            sb.append(" outcome=").append(p.outcome());
        }
        return sb.toString();
    }

    /** What the line says about the RTO: time left, {@code RTO BREACHED}, or nothing known yet. */
    static String budget(ScenarioReport p, long now) {
        if (p.rtoBreached()) {
            return "RTO BREACHED";
        }
        if (p.rtoMillis() <= 0 || p.startedAt() <= 0) {
            return "rto-left=--:--";
        }
        if (p.rtoActualMillis() != null) {
            // Restored (e.g. in the watch window): the RTO clock is stopped.
            return "restored-in=" + ReportFormatter.clock(p.rtoActualMillis()) + " (RTO met)";
        }
        // The workflow's timer marks the breach; until it says so, a spent budget reads 00:00.
        return "rto-left=" + ReportFormatter.clock(Math.max(0, p.rtoRemainingMillis(now)));
    }

    /** Identifies a line up to the ticking clock: a new plain line is printed only when this changes. */
    static String key(ScenarioReport p) {
        return p.currentStep() + "/" + p.round() + "/" + p.rtoBreached() + "/" + p.outcome() + "/"
                + p.rtoActualMillis();
    }

    /** Shown while no worker answers the progress query. */
    static String noProgress(String taskQueue) {
        return "[--:--] running; no progress yet (is a roma-dr worker polling task queue " + taskQueue + "?)";
    }

    /** The one-line result of a closed recovery. */
    static String result(ScenarioReport r) {
        String how = switch (ExitCodes.of(r)) {
            case ExitCodes.RECOVERED -> "RECOVERED";
            case ExitCodes.RTO_BREACHED -> "RECOVERED, RTO BREACHED";
            default -> String.valueOf(r.outcome());
        };
        return how + " " + r.workflowId() + " in " + ReportFormatter.clock(r.finishedAt() - r.startedAt())
                + ": " + BaseCommand.oneLine(r.summary());
    }

    private static String blankToDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }
}
