package io.romadr.cli;

import io.romadr.scenario.drill.DrillReport;
import io.romadr.scenario.drill.DrillRequest;
import io.romadr.scenario.drill.DrillWorkflow;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in DrillWorkflow for the CLI tests: takes notes, action items and sign-offs as the real one's contract
 * says (a blank text or a repeated role is refused), waits until the three roles
 * signed or its request's sign-off timeout, and returns a canned report: success and an RTO actual of 4m12s against
 * the request's target (or 15m).
 */
public class FakeDrillWorkflow implements DrillWorkflow {
    static final long RTO_ACTUAL_MILLIS = Duration.ofSeconds(252).toMillis();

    private DrillRequest request;
    private final List<String> issues = new ArrayList<>();
    private final List<DrillReport.ActionItem> actionItems = new ArrayList<>();
    private final List<DrillReport.SignOffRecord> signOffs = new ArrayList<>();

    @Override
    public DrillReport drill(DrillRequest request) {
        this.request = request;
        Duration timeout = request.signOffTimeout() == null ? Duration.ofHours(24) : request.signOffTimeout();
        Workflow.await(timeout, () -> signOffs.size() == 3);
        return progress();
    }

    @Override
    public DrillReport progress() {
        long target = request == null || request.rtoTarget() == null
                ? Duration.ofMinutes(15).toMillis()
                : request.rtoTarget().toMillis();
        return new DrillReport(Workflow.getInfo().getWorkflowId(), "2026-12-01",
                request == null ? "" : request.scenario(), "", request == null ? "" : request.plan(), "", "", "", "",
                "", true, target, RTO_ACTUAL_MILLIS, "None", 0, 0, List.of(), issues, actionItems, signOffs,
                List.of(), "", "canned");
    }

    @Override
    public void validateNote(DrillNote note) {
        if (note.text() == null || note.text().isBlank()) {
            refuse("a note needs a text");
        }
    }

    @Override
    public String note(DrillNote note) {
        issues.add(note.text() + " (" + note.author() + ")");
        return "noted: " + note.text();
    }

    @Override
    public void validateActionItem(DrillActionItem item) {
        if (item.text() == null || item.text().isBlank()) {
            refuse("an action item needs a text");
        }
    }

    @Override
    public String actionItem(DrillActionItem item) {
        actionItems.add(new DrillReport.ActionItem(item.text(), item.owner(), false));
        return "action item " + actionItems.size() + ": " + item.text();
    }

    @Override
    public void validateSignOff(DrillSignOff signOff) {
        if (signOffs.stream().anyMatch(s -> s.role().equals(signOff.role()))) {
            refuse("the " + signOff.role() + " already signed off");
        }
    }

    @Override
    public String signOff(DrillSignOff signOff) {
        signOffs.add(new DrillReport.SignOffRecord(signOff.role(), signOff.name(), Workflow.currentTimeMillis(),
                signOff.comment()));
        return "signed off as " + signOff.role() + " by " + signOff.name();
    }

    /** A validator's refusal: the update is rejected and never written to history. */
    private static void refuse(String why) {
        throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(why, "refused");
    }
}
