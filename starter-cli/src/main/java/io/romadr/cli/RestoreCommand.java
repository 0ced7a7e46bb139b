package io.romadr.cli;

import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupReportFormatter;
import io.romadr.backup.BackupRestoreWorkflow;
import io.romadr.backup.RestoreBackupRequest;
import io.romadr.backup.RestoreReport;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore",
        description = {
                "Restore one kind of a plan's data from a backup: the newest one that verifies, or --from KEY. The "
                        + "backup's SHA-256 is checked before anything is written; state and artifacts are swapped "
                        + "in while the service's container is stopped, then the service must pass its health checks.",
                "Prints the workflow id; with --wait, prints the restore report (backup used, data loss against the "
                        + "RPO) and exits 0 when restored, 1 otherwise."})
final class RestoreCommand extends WorkflowStartCommand {
    @Parameters(index = "0", paramLabel = "KIND", converter = BackupKindConverter.class,
            description = "state, artifacts or secrets")
    BackupKind kind;

    @Option(names = "--from", paramLabel = "KEY",
            description = "The backup to restore (object key or file name, see: roma-dr backups list). "
                    + "Default: the newest that verifies.")
    String from;

    @Option(names = "--only", paramLabel = "FILE",
            description = "Artifacts only: restore just this file (path relative to the artifacts directory); "
                    + "repeatable.")
    List<String> only = new ArrayList<>();

    @Option(names = "--key-file", paramLabel = "PATH",
            description = "Secrets only: the OpenPGP private key file ON THE WORKER (default: the worker's "
                    + "ROMA_DR_SECRETS_KEY_FILE). Its passphrase comes from the worker's environment.")
    String keyFile;

    @Override
    String idPrefix() {
        return "restore-" + kind.id();
    }

    @Override
    WorkflowRun<?> workflow() {
        return new WorkflowRun<>(BackupRestoreWorkflow.TYPE, RestoreReport.class, BackupReportFormatter::markdown);
    }

    @Override
    Object request(String plan) {
        if (!only.isEmpty() && kind != BackupKind.ARTIFACTS) {
            throw new CliException(ExitCodes.USAGE, "--only applies to artifacts restores only", null);
        }
        if (keyFile != null && kind != BackupKind.SECRETS) {
            throw new CliException(ExitCodes.USAGE, "--key-file applies to secrets restores only", null);
        }
        return new RestoreBackupRequest(plan, kind, from, only, keyFile, requestedBy());
    }
}
