package io.romadr.cli;

import io.romadr.report.ReportFormatter;
import io.romadr.scenario.drill.DrillReport;
import io.romadr.scenario.drill.DrillReport.TimelineRow;
import io.romadr.temporal.RecoveryFollower;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Shows a followed drill as it happens: each timeline row once, when it is done ({@code [+03:12] fault
 * inject-fault Success: ...}), and on stderr once how to sign off while the drill waits for the sign-offs. The
 * recovery's own steps arrive with the recovery's end, in their order by time.
 */
final class DrillTimeline implements RecoveryFollower.Watch<DrillReport> {
    /** About three times a second, as the embedded drills follow their recoveries. */
    static final Duration INTERVAL = Duration.ofMillis(300);
    /** The drill's step while it waits for the sign-offs, and a step's result while it runs. */
    static final String SIGN_OFF_STEP = "sign-off";
    static final String RUNNING = "Running";

    private final PrintWriter out;
    private final PrintWriter err;
    private final String workflowId;
    private final String taskQueue;
    private final Set<String> printed = new HashSet<>();
    private boolean hinted;
    private boolean noProgressSaid;

    DrillTimeline(PrintWriter out, PrintWriter err, String workflowId, String taskQueue) {
        this.out = out;
        this.err = err;
        this.workflowId = workflowId;
        this.taskQueue = taskQueue;
    }

    @Override
    public void onProgress(DrillReport progress) {
        for (TimelineRow row : progress.timeline()) {
            if (!RUNNING.equals(row.result()) && printed.add(key(row))) {
                out.println(line(row));
            }
        }
        out.flush();
        if (!hinted && waitsForSignOffs(progress)) {
            hinted = true;
            err.println("waiting for the sign-offs of " + String.join(", ", unsigned(progress)) + ":");
            err.println(howToAnswer(workflowId));
            err.flush();
        }
    }

    @Override
    public void onNoProgress() {
        if (!noProgressSaid) {
            noProgressSaid = true;
            err.println(ProgressLine.noProgress(taskQueue));
            err.flush();
        }
    }

    /** {@code [+00:03] pre-drill document-state Success: 7 item(s) documented}. */
    static String line(TimelineRow row) {
        return String.format("[+%s] %-10s %-18s %s", ReportFormatter.clock(row.atMillis()), row.phase(),
                row.action(), BaseCommand.oneLine(row.result()));
    }

    /** The exact commands that answer a drill: sign off per role, and notes and action items. */
    static String howToAnswer(String workflowId) {
        return "  sign off: roma-dr drills sign-off " + workflowId + " --role operator|observer|manager --as NAME\n"
                + "  note: roma-dr drills note " + workflowId + " --text '...'    action item: roma-dr drills "
                + "action " + workflowId + " --text '...' --owner NAME";
    }

    static boolean waitsForSignOffs(DrillReport progress) {
        return progress.success() == null && progress.timeline().stream()
                .anyMatch(r -> SIGN_OFF_STEP.equals(r.action()) && RUNNING.equals(r.result()));
    }

    private static List<String> unsigned(DrillReport progress) {
        return Arrays.stream(DrillsCommand.SignOff.Role.values()).map(Enum::name)
                .filter(role -> progress.signOffs().stream().noneMatch(s -> role.equalsIgnoreCase(s.role())))
                .toList();
    }

    private static String key(TimelineRow row) {
        return row.atMillis() + "/" + row.phase() + "/" + row.action();
    }
}
