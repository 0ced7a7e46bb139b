package io.romadr.scenario.datacorruption;

import io.romadr.runtime.ScenarioWorkflowBase;
import io.romadr.backup.BackupActivities;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.NewestGoodBackup;
import io.romadr.backup.RestoreRequest;
import io.romadr.backup.RestoreResult;
import io.romadr.plan.ArtifactBackupSpec;
import io.romadr.plan.ArtifactRecoverySpec;
import io.romadr.plan.CommandStep;
import io.romadr.plan.RecoveryPlan;
import io.romadr.scenario.servicefailure.ActionResult;
import io.romadr.scenario.servicefailure.ServiceActivities;
import io.romadr.report.Outcome;
import io.romadr.report.ReportFormatter;
import io.romadr.report.RunFailure;
import io.romadr.report.StepOutcome;
import io.romadr.runtime.Retries;
import io.romadr.runtime.Steps;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

public class DataCorruptionRecoveryWorkflowImpl extends ScenarioWorkflowBase<DataRecoveryReport>
        implements DataCorruptionRecoveryWorkflow {
    static final int COMMAND_ATTEMPTS = 2;
    /** Reading and writing whole artifact sets: long, heartbeating. */
    private final DataRecoveryActivities data = steps.stub(DataRecoveryActivities.class, Duration.ofHours(1),
            Duration.ofSeconds(30), Retries.of(5));
    private final BackupActivities backups = steps.stub(BackupActivities.class, Duration.ofHours(2),
            Duration.ofSeconds(30), Retries.of(5));
    /** The plan's regenerate commands carry their own timeouts; the activity enforces them. */
    private final ServiceActivities service = steps.stub(ServiceActivities.class, Duration.ofHours(4),
            Duration.ofSeconds(60), Retries.of(COMMAND_ATTEMPTS));

    private DataRecoveryRequest request;
    private long rtoMillis;
    private long rpoMillis;
    private ArtifactCheck before;
    private Corruption corruption;
    private final List<String> rejected = new ArrayList<>();
    private String backupUsed = "";
    private Long dataAge;
    private QuarantineResult quarantine;
    private final List<String> provenance = new ArrayList<>();
    private ArtifactCheck after;

    @Override
    public DataRecoveryReport recover(DataRecoveryRequest request) {
        this.request = request;
        startClock(request);
        run.start(SCENARIO, request.plan(), false);
        try {
            RecoveryPlan plan = steps.loadPlan(request.plan(), "backup.artifacts section",
                    p -> p.backup() != null && p.backup().artifacts() != null);
            rtoMillis = plan.rto().artifacts().toMillis();
            // From the first step: a recovery that waited for a worker still calls a lost worker's step again.
            steps.budget(startedAt + rtoMillis);
            planLoaded(plan, rtoMillis);
            rto.startIfLive(Duration.ofMillis(rtoMillis), () -> !run.running());
            recoveryStarted(rtoMillis, request.requestedBy(), request.reason());
            rpoMillis = plan.rpo().artifacts().toMillis();
            return run.finish(Outcome.RECOVERED, recover(plan));
        } catch (Steps.Failed e) {
            DataRecoveryReport failed = run.finish(Outcome.FAILED, "Data recovery failed at " + e.getMessage());
            throw RunFailure.of(RunFailure.RECOVERY_FAILED, failed.summary(), failed);
        }
    }

    private String recover(RecoveryPlan plan) {
        ArtifactBackupSpec artifacts = plan.backup().artifacts();
        ArtifactRecoverySpec how = artifacts.recovery();
        String project = plan.service().composeProject();
        String producer = how.producer() == null ? artifacts.service() : how.producer();
        ProducerRequest producerRequest = new ProducerRequest(project, producer, plan.recovery().stopTimeout());

        // 1. Isolate: nothing new is written while we repair.
        steps.run("isolate", () -> data.stopProducer(producerRequest), ActionResult::detail);
        // 2. Identify.
        ValidateArtifactsRequest check = new ValidateArtifactsRequest(plan.name(), project, artifacts.service(),
                artifacts.path(), artifacts.include(), how.schema());
        before = steps.run("identify", () -> data.validateArtifacts(check), c -> describe(c));
        corruption = Corruption.classify(before, how.widespreadAbove());
        steps.mark("classify", StepOutcome.OK, corruption.toString());
        if (before.allValid()) {
            steps.run("restart-producer", () -> data.startProducer(producerRequest), ActionResult::detail);
            return "No corruption found: all " + before.total() + " artifact(s) valid; nothing restored.";
        }
        boolean all = how.restore().equals("all");
        List<String> broken = before.invalidFiles();
        // 3. Keep the originals, whatever happens next.
        String quarantineKey = "quarantine/" + plan.name() + "/" + BackupKeys.objectKey(BackupKind.ARTIFACTS,
                plan.name(), startedAt, runId()).substring(("artifacts/" + plan.name() + "/").length());
        quarantine = steps.run("quarantine", () -> data.quarantine(new QuarantineRequest(plan.name(),
                plan.backup().store(), project, artifacts.service(), artifacts.path(), artifacts.include(),
                all ? List.of() : broken, quarantineKey)),
                q -> q.files().size() + " original(s) kept in " + q.objectKey());
        // 4. Restore from the newest backup whose files are themselves valid, or regenerate.
        BackupManifest source = chooseBackup(plan, all ? null : broken);
        if (source != null) {
            RestoreResult restored = steps.run("restore", () -> backups.restoreArchive(new RestoreRequest(
                    plan.backup().store(), source, project, artifacts.service(), artifacts.path(),
                    all ? List.of() : broken)), RestoreResult::detail);
            backupUsed = source.objectKey();
            dataAge = startedAt - source.createdAt();
            for (String f : all ? restored.files() : broken) {
                provenance.add(f + ": restored from " + source.objectKey() + " (" + ReportFormatter.age(dataAge)
                        + " old)");
            }
            if (all && restored.files().isEmpty()) {
                provenance.add("all artifacts: restored from " + source.objectKey());
            }
        } else {
            if (how.regenerate().isEmpty()) {
                steps.fail("regenerate", "no clean backup and the plan has no backup.artifacts.recovery.regenerate "
                        + "commands; the originals are kept in " + quarantine.objectKey()
                        + ", the producer stays stopped");
            }
            for (CommandStep step : how.regenerate()) {
                // A non-zero exit fails the activity (after its retries), which ends the recovery here.
                steps.run("regenerate: " + step.name(), COMMAND_ATTEMPTS, () -> service.runCommand(step),
                        ActionResult::detail);
            }
            provenance.add("all artifacts: regenerated by " + String.join(", ",
                    how.regenerate().stream().map(CommandStep::name).toList()));
        }
        // 5. Verify; the producer restarts only on clean data.
        after = steps.run("verify", () -> data.validateArtifacts(check), c -> describe(c));
        if (!after.allValid()) {
            steps.fail("verify", after.invalid().size() + " artifact(s) still invalid: "
                    + String.join(", ", after.invalidFiles()) + "; the producer stays stopped");
        }
        steps.run("restart-producer", () -> data.startProducer(producerRequest), ActionResult::detail);
        if (source == null) {
            return "Regenerated the artifacts (" + corruption + "); all " + after.total() + " valid.";
        }
        return "Restored " + (all ? "all artifacts" : broken.size() + " corrupted file(s)") + " from "
                + source.objectKey() + " (" + corruption + "); data loss " + ReportFormatter.age(dataAge)
                + " against an RPO of " + ReportFormatter.age(rpoMillis)
                + (dataAge <= rpoMillis ? " (met)" : " (MISSED)")
                + "; all " + after.total() + " valid.";
    }

    /** Newest first; a backup is used only when its checksum holds and the files we need from it are valid. */
    private BackupManifest chooseBackup(RecoveryPlan plan, List<String> needed) {
        ArtifactBackupSpec artifacts = plan.backup().artifacts();
        NewestGoodBackup.Choice choice = NewestGoodBackup.choose(steps, backups, plan.backup().store(), plan.name(),
                BackupKind.ARTIFACTS, "list-backups", "check-backup", m -> {
                    if (needed != null) {
                        Set<String> inBackup = new HashSet<>();
                        m.files().forEach(f -> inBackup.add(f.path()));
                        List<String> absent = needed.stream().filter(f -> !inBackup.contains(f)).toList();
                        if (!absent.isEmpty()) {
                            rejected.add(m.objectKey() + ": does not hold " + String.join(", ", absent));
                            return false;
                        }
                    }
                    ArtifactCheck inside = steps.run("validate-backup", () -> data.validateBackup(
                            new ValidateBackupRequest(plan.name(), plan.backup().store(), m, artifacts.include(),
                                    artifacts.recovery().schema())),
                            c -> m.objectKey() + ": " + describe(c));
                    List<String> bad = inside.invalidFiles().stream()
                            .filter(f -> needed == null || needed.contains(f) || f.equals("(archive)")).toList();
                    if (!bad.isEmpty()) {
                        rejected.add(m.objectKey() + ": itself invalid: " + String.join(", ", bad));
                        return false;
                    }
                    return true;
                }, rejected);
        if (choice.chosen() == null) {
            steps.mark("choose-backup", StepOutcome.FAILED, choice.listed() == 0
                    ? "no artifacts backup at all"
                    : "no clean backup among " + choice.listed());
        }
        return choice.chosen();
    }

    private static String describe(ArtifactCheck c) {
        return c.allValid()
                ? c.total() + " valid"
                : c.invalid().size() + " of " + c.total() + " invalid: "
                        + String.join(", ", c.invalidFiles().stream().limit(10).toList())
                        + (c.invalid().size() > 10 ? ", ..." : "");
    }

    private String runId() {
        return Workflow.getInfo().getRunId().replace("-", "").substring(0, 8);
    }

    @Override
    protected DataRecoveryReport report(String summary) {
        return new DataRecoveryReport(workflowId, request.plan(), request.requestedBy(), request.reason(),
                run.outcome(),
                clockStart, run.now(), rtoMillis, rpoMillis, before, corruption, rejected, backupUsed,
                dataAge, quarantine, provenance, after, steps.snapshot(), summary, incident);
    }
}
