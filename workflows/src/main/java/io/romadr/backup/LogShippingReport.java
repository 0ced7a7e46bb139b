package io.romadr.backup;

import io.romadr.report.Outcome;
import io.romadr.report.StepRecord;
import java.util.List;

/** A log shipping run: what was shipped per service and how many objects past retention were deleted. */
public record LogShippingReport(String workflowId, String plan, String requestedBy, Outcome outcome, long startedAt,
        long finishedAt, long cutoff, List<LogShipment> services, int pruned, List<StepRecord> timeline,
        String summary) {

    public LogShippingReport {
        services = services == null ? List.of() : List.copyOf(services);
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }
}
