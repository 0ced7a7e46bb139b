package io.romadr.runtime;

import io.romadr.report.IncidentTimes;
import io.temporal.workflow.Workflow;

/**
 * Workflow-side: where a recovery's RTO clock starts. Version 1 of {@link #RTO_FROM_INCIDENT}: at the earlier of the
 * incident's detection (the request's {@code detectedAt}) and the recovery's request (the workflow's start event,
 * {@link io.temporal.workflow.WorkflowInfo#getRunStartedTimestampMillis()}, the same on every replay); before it, at
 * the worker's first workflow task, which does not count the time the recovery waited in the task queue.
 */
public final class IncidentClock {
    public static final String RTO_FROM_INCIDENT = "rto-from-incident";

    private IncidentClock() {
    }

    /**
     * Call first in the workflow method, before any other command. The run's times, or null for a run recorded before
     * {@link #RTO_FROM_INCIDENT}, whose clock starts at its first workflow task.
     */
    public static IncidentTimes begin(PlanInput request) {
        long firstStep = Workflow.currentTimeMillis();
        if (Workflow.getVersion(RTO_FROM_INCIDENT, Workflow.DEFAULT_VERSION, 1) < 1) {
            return null;
        }
        return IncidentTimes.of(request.detectedAt(), Workflow.getInfo().getRunStartedTimestampMillis(), firstStep);
    }

    /** Where the clock of a run with {@code times} starts; {@code firstStep} for a run without them. */
    public static long start(IncidentTimes times, long firstStep) {
        return times == null ? firstStep : times.clockStart();
    }
}
