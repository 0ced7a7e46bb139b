package io.romadr.backup;

import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.RunFailure;
import io.romadr.runtime.Retries;
import io.romadr.runtime.Steps;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

public class BackupEventsWorkflowImpl implements BackupEventsWorkflow {
    /** Runs per execution before continuing as new, so the history stays small however long a burst lasts. */
    static final int RUNS_PER_EXECUTION = 50;
    /** Events kept pending at most; more in one run's time are counted, and the follow-up run covers them anyway. */
    static final int MAX_PENDING = 1000;
    /** Event ids remembered for duplicates, per execution. */
    static final int MAX_REMEMBERED = 5000;
    /** After a failed run its events wait this long (doubling) before the next try; the schedule is the safety net. */
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(30);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
    /** Consecutive failed runs after which the pending events are dropped (the failure was told by the run). */
    static final int MAX_FAILED_RUNS = 5;
    static final int LAG_ATTEMPTS = 5;
    /**
     * Child workflow ids from this execution's start time instead of its run id: a reset makes a new run id, so ids
     * made from it no longer match the copied history's children on replay.
     */
    static final String CHILD_IDS_FROM_START = "events-child-ids-from-start-time";
    static final int RECENT_LAGS = 20;

    private final Steps steps = Steps.failingRunByActivityType(Map.of(PlanActivities.class, 1,
            BackupLagActivities.class, LAG_ATTEMPTS));
    private final BackupLagActivities lags = steps.stub(BackupLagActivities.class, Duration.ofMinutes(1), null,
            Retries.of(LAG_ATTEMPTS, Duration.ofSeconds(10)));
    private final String workflowId = Workflow.getInfo().getWorkflowId();
    private final long startedAt = Workflow.currentTimeMillis();
    private final List<BackupEvent> pending = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private final List<String> children = new ArrayList<>();
    private final List<LagSample> recentLags = new ArrayList<>();
    private BackupEventsRequest request;
    private int events;
    private int duplicates;
    private int runs;
    private int failedRuns;
    private int overflow;
    private String summary = "";

    @Override
    public BackupEventsReport coalesce(BackupEventsRequest request) {
        this.request = request;
        boolean childIdsFromStart = Workflow.getVersion(CHILD_IDS_FROM_START, Workflow.DEFAULT_VERSION, 1) == 1;
        request.pending().forEach(this::event);
        RecoveryPlan plan;
        try {
            plan = steps.loadPlan(request.plan());
        } catch (Steps.Failed e) {
            // A plan that cannot be loaded fails the run (with its report), never the workflow task over and over.
            summary = "Backup events failed at " + e.getMessage();
            throw RunFailure.of(RunFailure.BACKUP_FAILED, summary, progress());
        }
        int consecutiveFailures = 0;
        Duration backoff = FIRST_BACKOFF;
        while (!pending.isEmpty()) {
            if (runs >= RUNS_PER_EXECUTION) {
                summary = "continued as new with " + pending.size() + " pending event(s)";
                Workflow.continueAsNew(new BackupEventsRequest(request.plan(), request.kind(), List.copyOf(pending),
                        request.runsBefore() + runs));
            }
            List<BackupEvent> batch = List.copyOf(pending);
            pending.clear();
            overflow = 0;
            String child = workflowId + "-"
                    + (childIdsFromStart ? String.valueOf(startedAt) : Workflow.getInfo().getRunId().substring(0, 8))
                    + "-" + (request.runsBefore() + runs + 1);
            runs++;
            children.add(child);
            String problem = runBackup(child, batch);
            if (problem == null) {
                consecutiveFailures = 0;
                backoff = FIRST_BACKOFF;
                long committedAt = Workflow.currentTimeMillis();
                record(plan, batch.stream().map(e -> new LagSample(e.id(), e.source(), e.eventAt(), committedAt,
                        child)).toList());
                summary = "run " + child + " backed up " + batch.size() + " event(s)";
                continue;
            }
            failedRuns++;
            consecutiveFailures++;
            if (consecutiveFailures >= MAX_FAILED_RUNS) {
                summary = "gave up on " + batch.size() + " event(s) after " + consecutiveFailures
                        + " failed runs (the scheduled backup covers them): " + problem;
                consecutiveFailures = 0;
                backoff = FIRST_BACKOFF;
                continue;
            }
            summary = "run " + child + " failed, retrying in " + backoff.toSeconds() + "s: " + problem;
            pending.addAll(0, batch);
            Workflow.sleep(backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
        if (summary.isEmpty()) {
            summary = "nothing pending";
        }
        return progress();
    }

    /** The kind's backup as a child workflow; null when it succeeded, else why not. */
    private String runBackup(String child, List<BackupEvent> batch) {
        ChildWorkflowOptions options = ChildWorkflowOptions.newBuilder().setWorkflowId(child).build();
        String by = "events (" + batch.size() + ": " + batch.get(0).source() + " " + batch.get(0).detail() + ")";
        try {
            if (request.kind().equals("images")) {
                Set<String> images = new LinkedHashSet<>();
                batch.forEach(e -> images.addAll(e.images()));
                Workflow.newChildWorkflowStub(ImageMirrorWorkflow.class, options)
                        .mirror(new BackupRequest(request.plan(), by, List.copyOf(images)));
            } else {
                Workflow.newChildWorkflowStub(GitMirrorWorkflow.class, options)
                        .mirror(new BackupRequest(request.plan(), by));
            }
            return null;
        } catch (ChildWorkflowFailure e) {
            return Steps.message(e);
        }
    }

    /** A lag that cannot be recorded costs only the measurement, never the backup. */
    private void record(RecoveryPlan plan, List<LagSample> samples) {
        samples.forEach(s -> {
            recentLags.add(s);
            if (recentLags.size() > RECENT_LAGS) {
                recentLags.remove(0);
            }
        });
        if (plan.backup() == null) {
            return;
        }
        try {
            lags.recordLag(new RecordLagRequest(plan.backup().store(), request.plan(), request.kind(), samples));
        } catch (ActivityFailure e) {
            summary = "lag not recorded: " + Steps.message(e);
        }
    }

    @Override
    public void event(BackupEvent event) {
        events++;
        if (!event.id().isEmpty()) {
            if (seen.contains(event.id())) {
                duplicates++;
                return;
            }
            if (seen.size() < MAX_REMEMBERED) {
                seen.add(event.id());
            }
        }
        if (pending.size() >= MAX_PENDING) {
            overflow++;
            // Keep the images it names: the follow-up run must still mirror them.
            if (!event.images().isEmpty()) {
                BackupEvent last = pending.remove(pending.size() - 1);
                List<String> images = new ArrayList<>(last.images());
                images.addAll(event.images());
                pending.add(new BackupEvent(last.source(), last.id(), last.occurredAt(), last.receivedAt(),
                        List.copyOf(new LinkedHashSet<>(images)), last.detail()));
            }
            return;
        }
        pending.add(event);
    }

    @Override
    public BackupEventsReport progress() {
        String plan = request == null ? "" : request.plan();
        String kind = request == null ? "" : request.kind();
        return new BackupEventsReport(workflowId, plan, kind, startedAt, events, duplicates, runs, failedRuns,
                pending.size() + overflow, children, recentLags, summary);
    }
}
