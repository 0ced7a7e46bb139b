package io.romadr.approval;

import io.romadr.notify.NotifyEvent;
import io.romadr.report.ApprovalDecision;
import io.romadr.report.ApprovalRecord;
import io.romadr.report.PendingApproval;
import io.romadr.report.StepOutcome;
import io.romadr.runtime.Notifier;
import io.romadr.runtime.Steps;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;

/**
 * Workflow-side: one approval at a time. {@link #await} blocks the workflow (durably: a worker crash changes nothing)
 * until an operator decides through the {@code approve} update or the timeout passes. Deterministic, no I/O.
 */
public final class ApprovalGate {
    private final Notifier notifier;
    private PendingApproval pending;
    private ApprovalDecision decision;
    private ApprovalRecord last;

    /** A gate that tells nobody. */
    public ApprovalGate() {
        this(null);
    }

    /** A gate that tells {@code notifier}'s contacts what waits for them (approval-pending) and how it ended. */
    public ApprovalGate(Notifier notifier) {
        this.notifier = notifier;
    }

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
        String key = tellPending(pending);
        boolean decided = Workflow.await(timeout, () -> decision != null);
        PendingApproval asked = pending;
        pending = null;
        long at = Workflow.currentTimeMillis();
        last = decided
                ? new ApprovalRecord(step, question, asked.requestedAt(), at, decision.approver(), decision.approved(),
                        false, decision.reason())
                : new ApprovalRecord(step, question, asked.requestedAt(), at, "", false, true,
                        "no decision within " + timeout.toMinutes() + " min");
        if (key != null) {
            notifier.resolve(key, "roma-dr: approval of " + step + " " + (last.timedOut()
                    ? "timed out"
                    : (last.approved() ? "approved" : "rejected") + " by " + last.approver()) + ": "
                    + notifier.subject(), last.reason());
        }
        return last;
    }

    /** approval-pending with the question, the deadline and the exact commands; its key, or null if nobody hears. */
    private String tellPending(PendingApproval asked) {
        if (notifier == null || !notifier.routes(NotifyEvent.APPROVAL_PENDING)) {
            return null;
        }
        String id = notifier.workflowId();
        String key = id + "/" + NotifyEvent.APPROVAL_PENDING.id() + "/" + asked.step();
        notifier.send(NotifyEvent.APPROVAL_PENDING, key, "roma-dr: approval needed: " + asked.question(),
                notifier.subject() + " waits for an operator to approve " + asked.step() + " until "
                        + Instant.ofEpochMilli(asked.deadline()) + " (UTC); without a decision by then it stops there.",
                "Approve: roma-dr approve " + id + " --as <you>   Reject: roma-dr approve " + id
                        + " --reject --reason \"<why>\" --as <you>");
        return key;
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
