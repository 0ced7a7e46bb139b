package io.romadr.scenario.servicefailure;

import io.romadr.report.IncidentTimes;
import io.romadr.report.Outcome;
import io.romadr.report.ScenarioReport;
import io.romadr.report.StepRecord;
import java.util.List;

/**
 * What a recovery did and how long it took against its RTO; the result of every scenario workflow. JSON-friendly:
 * times are epoch milliseconds, durations milliseconds.
 *
 * @param rtoActualMillis time from start until the service was last verified healthy; null if it never was
 * @param rtoBreachedAt   workflow time at which the RTO budget ran out with the service not restored; null if not
 * @param incident        when the incident was detected, requested and first worked on; null before they were kept
 */
public record ServiceRecoveryReport(
        String workflowId,
        String scenario,
        String plan,
        String reason,
        Outcome outcome,
        long startedAt,
        long finishedAt,
        long rtoTargetMillis,
        Long rtoActualMillis,
        boolean rtoBreached,
        Long rtoBreachedAt,
        int relapses,
        List<StepRecord> timeline,
        String summary,
        IncidentTimes incident) implements ScenarioReport {

    public ServiceRecoveryReport {
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }

    @Override
    public long rtoMillis() {
        return rtoTargetMillis;
    }

    @Override
    public void headerDetails(StringBuilder sb) {
        if (relapses > 0) {
            sb.append("- **Relapses:** ").append(relapses).append('\n');
        }
    }
}
