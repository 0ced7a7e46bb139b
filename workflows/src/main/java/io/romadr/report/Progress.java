package io.romadr.report;

import java.util.List;

/**
 * A running recovery's state, returned by the workflow's progress query. {@code restoredAt} is set while the
 * service is restored (e.g. during the watch window): the RTO clock is stopped then. {@code startedAt} is where the
 * RTO clock starts; {@code incident} (null for a run before it was kept) when the incident was detected, requested
 * and first worked on, so the queue wait shows while the recovery runs.
 */
public record Progress(
        String scenario,
        String plan,
        Outcome outcome,
        String currentStep,
        int round,
        long startedAt,
        long rtoTargetMillis,
        boolean rtoBreached,
        Long restoredAt,
        List<StepRecord> timeline,
        IncidentTimes incident) implements ScenarioReport {

    @Override
    public String workflowId() {
        return "";
    }

    @Override
    public long finishedAt() {
        return 0;
    }

    @Override
    public Long rtoActualMillis() {
        return restoredAt == null ? null : restoredAt - startedAt;
    }

    @Override
    public List<StepRecord> timeline() {
        return timeline == null ? List.of() : timeline;
    }

    @Override
    public long rtoMillis() {
        return rtoTargetMillis;
    }

    @Override
    public String summary() {
        return "";
    }

    @Override
    public String title() {
        return "Recovery progress: " + scenario + " / plan " + plan;
    }
}
