package io.romadr.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Renders any scenario's report the way the seed's drill report template lays it out, where its fields apply. */
public final class ReportFormatter {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private ReportFormatter() {
    }

    /**
     * The one rendering of any scenario's report (or progress), in the seed's drill report layout where its fields
     * apply: Date, Scenario and Operator (who started it); Results (workflow, start, Success, outcome, the scenario's
     * header lines, RTO target, actual and breach, total time, approval); the scenario's own sections; the Timeline
     * (Time, Action, Result first); Issues Encountered (the failed steps, a breach); the summary.
     */
    public static String markdown(ScenarioReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("## ").append(r.title()).append("\n\n");
        sb.append("**Date:** ").append(DATE.format(Instant.ofEpochMilli(r.startedAt()))).append("  \n");
        sb.append("**Scenario:** ").append(ScenarioNames.of(r.scenario())).append("  \n");
        sb.append("**Operator:** ").append(blank(r.requestedBy()) ? "-" : r.requestedBy()).append("\n\n");
        sb.append("### Results\n");
        sb.append("- **Workflow:** ").append(r.workflowId()).append('\n');
        IncidentTimes incident = r.incident();
        if (incident == null) {
            sb.append("- **Started:** ").append(time(r.startedAt()))
                    .append(blank(r.requestedBy()) ? "" : " by " + r.requestedBy()).append('\n');
        } else {
            sb.append("- **Requested:** ").append(time(incident.requestedAt()))
                    .append(blank(r.requestedBy()) ? "" : " by " + r.requestedBy()).append('\n');
            sb.append("- **RTO clock from:** ").append(time(r.startedAt()))
                    .append(incident.detectedAt() == null ? " (the request)" : " (the incident's detection)")
                    .append('\n');
        }
        if (!blank(r.reason())) {
            sb.append("- **Reason:** ").append(r.reason()).append('\n');
        }
        if (r.outcome() != Outcome.RUNNING) {
            sb.append("- **Success:** ").append(r.outcome() == Outcome.RECOVERED && !r.rtoBreached() ? "Yes" : "No")
                    .append('\n');
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
        incident(sb, r);
        r.details(sb);
        timeline(sb, r.timeline(), r.startedAt());
        issues(sb, r);
        sb.append("\n").append(r.summary()).append('\n');
        return sb.toString();
    }

    /**
     * The timeline table every report shares, the seed's Time, Action, Result first: offset from the start, step,
     * outcome with its detail, then round, duration and attempts.
     */
    public static void timeline(StringBuilder sb, java.util.List<StepRecord> steps, long startedAt) {
        sb.append("\n### Timeline\n");
        sb.append("| Time | Action | Result | Round | Duration | Attempts |\n");
        sb.append("|------|--------|--------|-------|----------|----------|\n");
        for (StepRecord s : steps) {
            sb.append("| ").append(clock(s.startedAt() - startedAt))
                    .append(" | ").append(s.step())
                    .append(" | ").append(escape(result(s)))
                    .append(" | ").append(s.round())
                    .append(" | ").append(seconds(s.durationMillis()))
                    .append(" | ").append(s.attempts())
                    .append(" |\n");
        }
    }

    /**
     * The parts of the time to recovery, each with its time and how long it took from the part before: detected
     * (when known), requested, first step (the wait before it is the task queue's), healthy. Nothing for a run
     * recorded before these were kept.
     */
    private static void incident(StringBuilder sb, ScenarioReport r) {
        IncidentTimes incident = r.incident();
        if (incident == null) {
            return;
        }
        sb.append("\n### Time to recovery\n");
        sb.append("| Part | At | Since the part before |\n");
        sb.append("|------|----|-----------------------|\n");
        Long detected = incident.detectedAt();
        sb.append("| Detected | ").append(detected == null ? "not known" : time(detected)).append(" | - |\n");
        sb.append("| Requested | ").append(time(incident.requestedAt())).append(" | ")
                .append(detected == null ? "-" : clock(incident.requestedAt() - detected) + " (detection to request)")
                .append(" |\n");
        sb.append("| First step | ").append(time(incident.firstStepAt())).append(" | ")
                .append(clock(incident.queueWaitMillis())).append(" (queue wait) |\n");
        Long actual = r.rtoActualMillis();
        sb.append("| Healthy | ").append(actual == null ? "not restored" : time(r.startedAt() + actual)).append(" | ")
                .append(actual == null ? "-" : clock(r.startedAt() + actual - incident.firstStepAt()) + " (recovery)")
                .append(" |\n");
        if (!incident.note().isEmpty()) {
            sb.append("\nNote: ").append(incident.note()).append('\n');
        }
    }

    /** The template's Result column: "Success", "Failed: connection refused", "RTO breached: ...". */
    public static String result(StepRecord s) {
        String detail = blank(s.detail()) ? "" : s.detail();
        String word = switch (s.outcome()) {
            case OK, NOTIFIED -> "Success";
            case FAILED, UNDELIVERED -> "Failed";
            case SKIPPED -> "Skipped";
            case BREACH -> "RTO breached";
            case RUNNING -> "Running";
        };
        return detail.isEmpty() || s.outcome() == StepOutcome.RUNNING ? word : word + ": " + detail;
    }

    /** Issues Encountered: the steps that failed and a breach, numbered; "None" when there were none. */
    private static void issues(StringBuilder sb, ScenarioReport r) {
        sb.append("\n### Issues Encountered\n");
        int n = 0;
        for (StepRecord s : r.timeline()) {
            if (s.outcome() == StepOutcome.FAILED || s.outcome() == StepOutcome.UNDELIVERED
                    || s.outcome() == StepOutcome.BREACH) {
                sb.append(++n).append(". ").append(s.step()).append(": ").append(escape(result(s))).append('\n');
            }
        }
        if (n == 0) {
            sb.append("None\n");
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
