package io.romadr.runtime;

import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import java.util.ArrayList;
import java.util.List;

/** The growing list of steps a workflow keeps; workflow-side state, so every time comes from workflow time. */
public final class Timeline {
    private final List<StepRecord> steps = new ArrayList<>();

    /** Opens a step and returns its index for {@link #end}. */
    public int begin(String step, int round, long now) {
        steps.add(new StepRecord(step, round, now, 0, 0, StepOutcome.RUNNING, ""));
        return steps.size() - 1;
    }

    public void end(int index, long now, int attempts, StepOutcome outcome, String detail) {
        steps.set(index, steps.get(index).finish(now, attempts, outcome, detail));
    }

    /** A step with no duration: a skipped step, or an event such as an RTO breach. */
    public void mark(String step, int round, long now, StepOutcome outcome, String detail) {
        steps.add(new StepRecord(step, round, now, now, 0, outcome, detail));
    }

    /** The step running now; the last one opened when several run at once. */
    public String current() {
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (steps.get(i).outcome() == StepOutcome.RUNNING) {
                return steps.get(i).step();
            }
        }
        return "";
    }

    public List<StepRecord> snapshot() {
        return List.copyOf(steps);
    }
}
