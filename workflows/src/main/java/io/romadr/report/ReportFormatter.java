package io.romadr.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Renders any scenario's report the way the seed's drill report template lays it out. */
public final class ReportFormatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private ReportFormatter() {
    }

    /**
     * The one rendering of any scenario's report (or progress): the common header (workflow, start, outcome, RTO
     * target, actual and breach, total time, approval), the scenario's own lines and sections, the timeline and the
     * summary.
     */
    public static String markdown(ScenarioReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("## ").append(r.title()).append("\n\n");
        sb.append("- **Workflow:** ").append(r.workflowId()).append('\n');
        sb.append("- **Started:** ").append(time(r.startedAt()))
                .append(blank(r.requestedBy()) ? "" : " by " + r.requestedBy()).append('\n');
        if (!blank(r.reason())) {
            sb.append("- **Reason:** ").append(r.reason()).append('\n');
        }
        sb.append("- **Outcome:** ").append(r.outcome()).append('\n');
        r.headerDetails(sb);
        sb.append("- **RTO Target:** ").append(clock(r.rtoMillis())).append('\n');
        sb.append("- **RTO Actual:** ")
                .append(r.rtoActualMillis() == null ? "not restored" : clock(r.rtoActualMillis()) + r.rtoActualNote());
        Long breachedAt = r.rtoBreachedAt();
        if (r.rtoBreached()) {
            sb.append("  (RTO BREACHED").append(breachedAt == null ? "" : " at +" + clock(breachedAt - r.startedAt()))
                    .append(')');
        }
        sb.append('\n');
        if (r.finishedAt() > 0) {
            sb.append("- **Total time:** ").append(clock(r.finishedAt() - r.startedAt())).append('\n');
        }
        approval(sb, r.workflowId(), r.pendingApproval(), r.approval());
        r.details(sb);
        timeline(sb, r.timeline(), r.startedAt());
        sb.append("\n").append(r.summary()).append('\n');
        return sb.toString();
    }

    /** The timeline table every report shares: offset from the start, step, duration, attempts, result. */
    public static void timeline(StringBuilder sb, java.util.List<StepRecord> steps, long startedAt) {
        sb.append("\n### Timeline\n");
        sb.append("| Time | Step | Round | Duration | Attempts | Result | Detail |\n");
        sb.append("|------|------|-------|----------|----------|--------|--------|\n");
        for (StepRecord s : steps) {
            sb.append("| ").append(clock(s.startedAt() - startedAt))
                    .append(" | ").append(s.step())
                    .append(" | ").append(s.round())
                    .append(" | ").append(seconds(s.durationMillis()))
                    .append(" | ").append(s.attempts())
                    .append(" | ").append(s.outcome())
                    .append(" | ").append(escape(s.detail()))
                    .append(" |\n");
        }
    }

    /** yyyy-MM-dd HH:mm:ss UTC. */
    public static String time(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** mm:ss, or h:mm:ss past an hour. */
    public static String clock(long millis) {
        Duration d = Duration.ofMillis(Math.max(0, millis));
        return d.toHours() > 0
                ? String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart())
                : String.format("%02d:%02d", d.toMinutes(), d.toSecondsPart());
    }

    /** Human-readable size: 512 B, 3.4 KiB, 1.0 GiB. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** Human-readable age: 45s, 12m, 3h05m, 2d04h. */
    public static String age(long millis) {
        Duration d = Duration.ofMillis(Math.max(0, millis));
        if (d.toDays() > 0) {
            return d.toHoursPart() == 0 ? d.toDays() + "d" : String.format("%dd%02dh", d.toDays(), d.toHoursPart());
        }
        if (d.toHours() > 0) {
            return d.toMinutesPart() == 0
                    ? d.toHours() + "h"
                    : String.format("%dh%02dm", d.toHours(),
                            d.toMinutesPart());
        }
        return d.toMinutes() > 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }

    public static String seconds(long millis) {
        return String.format("%.1fs", millis / 1000.0);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String escape(String s) {
        if (s == null) {
            return "";
        }
        String oneLine = s.replace('\n', ' ').replace("|", "\\|");
        return oneLine.length() > 160 ? oneLine.substring(0, 157) + "..." : oneLine;
    }

    /** The lines of a gated step: what is waiting for approval and how to give it, or how it was decided. */
    private static void approval(StringBuilder sb, String workflowId, PendingApproval pending, ApprovalRecord decided) {
        if (pending != null) {
            sb.append("- **Waiting for approval** (until ").append(time(pending.deadline())).append("): ")
                    .append(pending.question()).append(" — `roma-dr approve ").append(workflowId).append("`\n");
        }
        if (decided != null) {
            sb.append("- **Approval:** ").append(decided.timedOut()
                    ? "TIMED OUT: " + decided.reason()
                    : (decided.approved() ? "approved" : "REJECTED") + " by " + decided.approver()
                            + (decided.reason().isEmpty() ? "" : " (" + decided.reason() + ")"))
                    .append(" — ").append(decided.question()).append('\n');
        }
    }
}
