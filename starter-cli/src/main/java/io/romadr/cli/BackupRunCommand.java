package io.romadr.cli;

import io.romadr.backup.ArtifactBackupWorkflow;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupReport;
import io.romadr.backup.BackupReportFormatter;
import io.romadr.backup.BackupRequest;
import io.romadr.backup.GitMirrorReport;
import io.romadr.backup.GitMirrorWorkflow;
import io.romadr.backup.ImageMirrorReport;
import io.romadr.backup.ImageMirrorWorkflow;
import io.romadr.backup.LogShippingReport;
import io.romadr.backup.LogShippingWorkflow;
import io.romadr.backup.SecretsBackupWorkflow;
import io.romadr.backup.StateSnapshotWorkflow;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Parameters;

@Command(name = "backup",
        description = {
                "Back up one kind of a plan's data now: state (a snapshot of the state directory), artifacts, "
                        + "secrets (exported and encrypted with OpenPGP), git (mirror the primary remote to the backup "
                        + "remotes), images (copy the image tags to the backup registry) or logs (ship the services' "
                        + "container logs since the last shipped cut-off).",
                "Prints the workflow id; with --wait, prints the backup report and exits 0 when the backup was "
                        + "stored and read back, 1 otherwise."})
final class BackupRunCommand extends WorkflowStartCommand {
    @Parameters(index = "0", paramLabel = "KIND", converter = BackupRunCommand.KindConverter.class,
            description = "state, artifacts, secrets, git, images or logs")
    String kind;

    /** Checked while parsing, so a wrong kind is a usage error (exit 2) like any other. */
    static final class KindConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String k = value.toLowerCase(Locale.ROOT);
            if (!List.of("state", "artifacts", "secrets", "git", "images", "logs").contains(k)) {
                throw new TypeConversionException("expected state, artifacts, secrets, git, images or logs, got \""
                        + value + "\"");
            }
            return k;
        }
    }

    @Override
    String idPrefix() {
        return "backup-" + kind;
    }

    @Override
    WorkflowRun<?> workflow() {
        return switch (kind) {
            case "git" -> new WorkflowRun<>(GitMirrorWorkflow.TYPE, GitMirrorReport.class,
                    BackupReportFormatter::markdown);
            case "images" -> new WorkflowRun<>(ImageMirrorWorkflow.TYPE, ImageMirrorReport.class,
                    BackupReportFormatter::markdown);
            case "logs" -> new WorkflowRun<>(LogShippingWorkflow.TYPE, LogShippingReport.class,
                    BackupReportFormatter::markdown);
            default -> {
                BackupKind stored = new BackupKindConverter().convert(kind);
                yield new WorkflowRun<>(switch (stored) {
                    case STATE -> StateSnapshotWorkflow.TYPE;
                    case ARTIFACTS -> ArtifactBackupWorkflow.TYPE;
                    case SECRETS -> SecretsBackupWorkflow.TYPE;
                }, BackupReport.class, BackupReportFormatter::markdown);
            }
        };
    }

    @Override
    Object request(String plan) {
        return new BackupRequest(plan, requestedBy());
    }
}
