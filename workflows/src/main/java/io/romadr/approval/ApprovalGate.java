package io.romadr.approval;

import io.romadr.report.ApprovalDecision;
import io.romadr.report.ApprovalRecord;
import io.romadr.report.PendingApproval;
import io.romadr.report.StepOutcome;
import io.romadr.runtime.Steps;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Workflow-side: one approval at a time. {@link #await} blocks the workflow (durably: a worker crash changes nothing)
 * until an operator decides through the {@code approve} update or the timeout passes. Deterministic, no I/O.
 */
public final class ApprovalGate {
    private PendingApproval pending;
    private ApprovalDecision decision;
    private ApprovalRecord last;

    /** How the last approval ended (for the report), or null when none has. */
    public ApprovalRecord last() {
        return last;
    }

    /** The approval being waited for, or null. */
    public PendingApproval pending() {
        return pending;
    }

    /** The update's validator: rejected (and never written to history) unless something is pending and signed. */
    public void validate(ApprovalDecision d) {
        if (pending == null) {
            throw new IllegalStateException("nothing is waiting for approval in this workflow");
        }
        if (d == null || d.approver().isEmpty()) {
            throw new IllegalArgumentException("an approval must name the approver");
        }
        if (!d.approved() && d.reason().isEmpty()) {
            throw new IllegalArgumentException("a rejection must give a reason");
        }
    }

    /** The update's handler: records the decision; the waiting workflow continues. */
    public String decide(ApprovalDecision d) {
        String step = pending == null ? "" : pending.step();
        decision = d;
        return (d.approved() ? "approved" : "rejected") + " " + step + " by " + d.approver();
    }

    /** Waits for a decision on {@code question}; the record says who decided what, or that the wait timed out. */
    public ApprovalRecord await(String step, String question, Duration timeout) {
        long now = Workflow.currentTimeMillis();
        decision = null;
        pending = new PendingApproval(step, question, now, now + timeout.toMillis());
        boolean decided = Workflow.await(timeout, () -> decision != null);
        PendingApproval asked = pending;
        pending = null;
        long at = Workflow.currentTimeMillis();
        last = decided
                ? new ApprovalRecord(step, question, asked.requestedAt(), at, decision.approver(), decision.approved(),
                        false, decision.reason())
                : new ApprovalRecord(step, question, asked.requestedAt(), at, "", false, true,
                        "no decision within " + timeout.toMinutes() + " min");
        return last;
    }

    /**
     * {@link #await} as a timeline step named {@code approval}: who decided what (or that nobody did in time) is the
     * step's detail; a rejection or a timeout ends the scenario with {@code ifRefused} saying what was left alone.
     */
    public ApprovalRecord awaitStep(Steps steps, String step, String question, Duration timeout, String ifRefused) {
        int index = steps.begin("approval");
        ApprovalRecord record = await(step, question, timeout);
        String who = record.timedOut()
                ? record.reason()
                : (record.approved() ? "approved" : "rejected") + " by " + record.approver()
                        + (record.reason().isEmpty() ? "" : ": " + record.reason());
        steps.end(index, record.approved() ? StepOutcome.OK : StepOutcome.FAILED, who);
        if (!record.approved()) {
            throw new Steps.Failed("approval: " + who + "; " + ifRefused);
        }
        return record;
    }
}
