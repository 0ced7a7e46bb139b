package io.romadr.report;

/**
 * An operator's answer to a pending approval, sent as the Temporal update {@code approve}: from the CLI
 * ({@code roma-dr approve <workflow-id> [--reject --reason ...]}) or the Web UI
 * ({@code {"approver":"alice","approved":true,"reason":"backup checked"}}).
 */
public record ApprovalDecision(String approver, boolean approved, String reason) {
    public ApprovalDecision {
        approver = approver == null ? "" : approver.strip();
        reason = reason == null ? "" : reason.strip();
    }
}
