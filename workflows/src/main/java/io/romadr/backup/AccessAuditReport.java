package io.romadr.backup;

import io.romadr.report.StepRecord;
import java.util.Comparator;
import java.util.List;

/** The backup access audit's result: its findings, worst first; {@link #clean()} when none is above INFO. */
public record AccessAuditReport(String workflowId, String plan, String requestedBy, long startedAt, long finishedAt,
        List<AccessFinding> findings, List<StepRecord> timeline, String summary) {

    public AccessAuditReport {
        findings = findings == null
                ? List.of()
                : findings.stream().sorted(Comparator.comparing(AccessFinding::severity)).toList();
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }

    public boolean clean() {
        return findings.stream().noneMatch(f -> f.severity().actionable());
    }

    /** How many findings have {@code severity}. */
    public long count(AuditSeverity severity) {
        return findings.stream().filter(f -> f.severity() == severity).count();
    }
}
