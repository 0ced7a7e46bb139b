package io.romadr.report;

/** How an approval ended, for the report: who decided, what and why, when; or that nobody did in time. */
public record ApprovalRecord(String step, String question, long requestedAt, long decidedAt, String approver,
        boolean approved, boolean timedOut, String reason) {
}
