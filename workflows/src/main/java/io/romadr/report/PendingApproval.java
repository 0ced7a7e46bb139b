package io.romadr.report;

/** What a workflow is waiting for an operator to approve, and until when (epoch millis) it waits. */
public record PendingApproval(String step, String question, long requestedAt, long deadline) {
}
