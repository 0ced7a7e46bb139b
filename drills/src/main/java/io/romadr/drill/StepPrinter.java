package io.romadr.drill;

import io.romadr.report.ReportFormatter;
import io.romadr.report.ScenarioReport;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.temporal.RecoveryFollower;
import java.io.PrintWriter;
import java.util.List;

/**
 * What a drill prints while it follows its recovery: each step once, when it has finished, with its time since the
 * start; and the drill summary's line for a report. Works on any scenario's report.
 */
class StepPrinter implements RecoveryFollower.Listener {
    private final PrintWriter out;
    private int printed;

    StepPrinter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void onProgress(ScenarioReport progress) {
        List<StepRecord> steps = progress.timeline();
        while (printed < steps.size() && steps.get(printed).outcome() != StepOutcome.RUNNING) {
            beforeStep(progress, steps.get(printed));
            out.println(line(steps.get(printed), progress.startedAt()));
            printed++;
        }
        out.flush();
    }

    /** Prints what belongs before {@code next} (a subclass: the phases that ended before it began). */
    void beforeStep(ScenarioReport progress, StepRecord next) {
    }

    static String line(StepRecord s, long startedAt) {
        String detail = s.detail() == null ? "" : s.detail().replace('\n', ' ');
        if (detail.length() > 100) {
            detail = detail.substring(0, 97) + "...";
        }
        return String.format("  +%s  %-14s %-8s %6s  attempts=%d  %s", ReportFormatter.clock(s.startedAt() - startedAt),
                s.step(), s.outcome(), ReportFormatter.seconds(s.durationMillis()), s.attempts(), detail);
    }

    /** The drill summary's line: {@code   <fault> RECOVERED  in 01:02 / RTO 15:00, <what>}. */
    static String summary(String fault, ScenarioReport r, String what) {
        return String.format("  %-10s %-10s in %s / RTO %s, %s", fault, r.outcome(),
                ReportFormatter.clock(r.finishedAt() - r.startedAt()), ReportFormatter.clock(r.rtoMillis()),
                what);
    }
}
