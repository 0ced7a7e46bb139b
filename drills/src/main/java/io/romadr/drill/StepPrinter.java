package io.romadr.drill;

import io.romadr.report.Progress;
import io.romadr.report.ReportFormatter;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import java.io.PrintWriter;
import java.util.List;

/** Prints each step of a running recovery once, when it has finished, with its time since the start. */
final class StepPrinter {
    private final PrintWriter out;
    private int printed;

    StepPrinter(PrintWriter out) {
        this.out = out;
    }

    void update(Progress progress) {
        List<StepRecord> steps = progress.timeline();
        while (printed < steps.size() && steps.get(printed).outcome() != StepOutcome.RUNNING) {
            out.println(line(steps.get(printed), progress.startedAt()));
            printed++;
        }
    }

    static String line(StepRecord s, long startedAt) {
        String detail = s.detail() == null ? "" : s.detail().replace('\n', ' ');
        if (detail.length() > 100) {
            detail = detail.substring(0, 97) + "...";
        }
        return String.format("  +%s  %-14s %-8s %6s  attempts=%d  %s", ReportFormatter.clock(s.startedAt() - startedAt),
                s.step(), s.outcome(), ReportFormatter.seconds(s.durationMillis()), s.attempts(), detail);
    }
}
