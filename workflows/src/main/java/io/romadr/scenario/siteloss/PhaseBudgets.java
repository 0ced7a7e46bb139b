package io.romadr.scenario.siteloss;

import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * Workflow-side: the seed's five phase windows of Scenario 3, scaled to the plan's site-loss RTO; which phase runs,
 * when each started and ended, and whether it kept its budget. Every time comes from workflow time.
 */
final class PhaseBudgets {
    /** The seed's phase windows in minutes of its 90-minute total; scaled to the plan's site-loss RTO. */
    static final String[] PHASES = {"provision", "install", "restore-application", "restore-data",
            "verify-and-cutover"};
    static final int[] PHASE_END_MINUTES = {30, 45, 60, 75, 90};

    private final long startedAt;
    private final List<PhaseRecord> phases = new ArrayList<>();
    private int phase = -1;

    PhaseBudgets(long startedAt) {
        this.startedAt = startedAt;
    }

    /** Sets the windows for an RTO of {@code rtoMillis}. */
    void init(long rtoMillis) {
        long from = 0;
        for (int i = 0; i < PHASES.length; i++) {
            long to = rtoMillis * PHASE_END_MINUTES[i] / 90;
            phases.add(new PhaseRecord(PHASES[i], from, to, null, null, false));
            from = to;
        }
    }

    /** Closes the running phase and starts phase {@code next}. */
    void enter(int next) {
        long now = Workflow.currentTimeMillis();
        if (phase >= 0) {
            close(phase, now);
        }
        PhaseRecord p = phases.get(next);
        phases.set(next, new PhaseRecord(p.name(), p.budgetFromMillis(), p.budgetToMillis(), now, null, false));
        phase = next;
    }

    /** Closes the running phase, if one runs. */
    void end() {
        if (phase >= 0 && phases.get(phase).endedAt() == null) {
            close(phase, Workflow.currentTimeMillis());
        }
    }

    List<PhaseRecord> snapshot() {
        return List.copyOf(phases);
    }

    private void close(int i, long now) {
        PhaseRecord p = phases.get(i);
        phases.set(i, new PhaseRecord(p.name(), p.budgetFromMillis(), p.budgetToMillis(), p.startedAt(), now,
                now - startedAt > p.budgetToMillis()));
    }
}
