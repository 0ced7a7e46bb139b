package io.romadr.cli;

import io.romadr.report.RunFailure;
import io.romadr.scenario.drill.DrillReport;
import io.romadr.scenario.drill.DrillReport.SignOffRecord;
import io.romadr.scenario.drill.DrillReport.TimelineRow;
import io.romadr.scenario.drill.DrillRequest;
import io.romadr.scenario.drill.DrillWorkflow;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in DrillWorkflow whose timeline grows as the real one's does (a row per step, the sign-off step "Running"
 * while it waits for the three roles or the request's sign-off timeout), for {@code roma-dr drill} following it. The
 * objective "fail" makes it a failed drill: a FAILED execution carrying its report, as the real one ends.
 */
public class FakeLiveDrill implements DrillWorkflow {
    static final String FAIL = "fail";
    static final Duration STEP = Duration.ofMillis(400);

    private DrillRequest request;
    private long startedAt;
    private final List<TimelineRow> rows = new ArrayList<>();
    private final List<SignOffRecord> signOffs = new ArrayList<>();
    private Boolean success;

    @Override
    public DrillReport drill(DrillRequest request) {
        this.request = request;
        startedAt = Workflow.currentTimeMillis();
        step("pre-drill", "document-state", "Success: 3 item(s) documented");
        step("fault", "inject-fault", "Success: " + (request.fault().isEmpty() ? "kill" : request.fault()) + " app");
        step("recovery", "restart app", "Success: app healthy");
        int signOff = rows.size();
        rows.add(new TimelineRow(Workflow.currentTimeMillis() - startedAt, 0, "post-drill", "sign-off", "Running"));
        Duration timeout = request.signOffTimeout() == null ? Duration.ofMinutes(5) : request.signOffTimeout();
        Workflow.await(timeout, () -> signOffs.size() == 3);
        TimelineRow waiting = rows.get(signOff);
        for (String role : List.of("operator", "observer", "manager")) {
            if (signOffs.stream().noneMatch(s -> s.role().equals(role))) {
                signOffs.add(new SignOffRecord(role, "", 0, "not signed within " + timeout));
            }
        }
        rows.set(signOff, new TimelineRow(waiting.atMillis(), 0, waiting.phase(), waiting.action(),
                signOffs.stream().allMatch(s -> s.at() > 0) ? "Success: signed off" : "Failed: not signed"));
        success = !FAIL.equals(request.objective());
        if (!success) {
            throw RunFailure.of(RunFailure.DRILL_FAILED, "Drill failed: canned", progress());
        }
        return progress();
    }

    private void step(String phase, String action, String result) {
        Workflow.sleep(STEP);
        rows.add(new TimelineRow(Workflow.currentTimeMillis() - startedAt, 0, phase, action, result));
    }

    @Override
    public DrillReport progress() {
        if (request == null) {
            return null;
        }
        return new DrillReport(Workflow.getInfo().getWorkflowId(), "2026-12-07", request.scenario(), "",
                request.plan(), request.coordinator(), request.operator(), request.observer(), request.manager(),
                request.objective(), success, request.rtoTarget() == null ? 900_000 : request.rtoTarget().toMillis(),
                1_000L, "None", startedAt, success == null ? 0 : Workflow.currentTimeMillis(), rows, List.of(),
                List.of(), signOffs, List.of(), "", "canned");
    }

    @Override
    public String note(DrillNote note) {
        return "noted";
    }

    @Override
    public String actionItem(DrillActionItem item) {
        return "recorded";
    }

    @Override
    public String signOff(DrillSignOff signOff) {
        signOffs.add(new SignOffRecord(signOff.role(), signOff.name(), Workflow.currentTimeMillis(), ""));
        return "signed off as " + signOff.role();
    }

    @Override
    public void validateNote(DrillNote note) {
    }

    @Override
    public void validateActionItem(DrillActionItem item) {
    }

    @Override
    public void validateSignOff(DrillSignOff signOff) {
    }
}
