package io.romadr.cli;

import io.romadr.backup.ArtifactBackupWorkflow;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupReport;
import io.romadr.backup.BackupReportFormatter;
import io.romadr.backup.BackupRequest;
import io.romadr.backup.SecretsBackupWorkflow;
import io.romadr.backup.StateSnapshotWorkflow;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "backup",
        description = {
            "Back up one kind of a plan's data now: state (a snapshot of the state directory), artifacts, or "
                    + "secrets (exported and encrypted with OpenPGP).",
            "Prints the workflow id; with --wait, prints the backup report and exits 0 when the backup was "
                    + "stored and read back, 1 otherwise."})
final class BackupRunCommand extends TemporalCommand {
    @Parameters(index = "0", paramLabel = "KIND", converter = BackupKindConverter.class,
            description = "state, artifacts or secrets")
    BackupKind kind;

    @Mixin
    PlanOption planOption;

    @Mixin
    StartOptions start;

    Clock clock = Clock.systemUTC();

    @Override
    protected int run(TemporalOptions.Connection temporal) {
        String type = switch (kind) {
            case STATE -> StateSnapshotWorkflow.TYPE;
            case ARTIFACTS -> ArtifactBackupWorkflow.TYPE;
            case SECRETS -> SecretsBackupWorkflow.TYPE;
        };
        String id = start.idOr(WorkflowRun.defaultId("backup-" + kind.id(), planOption.plan, clock));
        return new WorkflowRun<>(type, BackupReport.class, BackupReportFormatter::markdown).run(temporal, id,
                new BackupRequest(planOption.plan, "cli:" + System.getProperty("user.name")), start.waitForResult, out(), err());
    }
}
