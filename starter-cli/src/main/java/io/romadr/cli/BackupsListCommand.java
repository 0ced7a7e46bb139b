package io.romadr.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.romadr.backup.BackupCatalog;
import io.romadr.backup.BackupCatalogWorkflow;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupReportFormatter;
import io.romadr.backup.CatalogRequest;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list",
        description = {
                "List a plan's backups from their manifests: kind, creation time, age, size, entries and, unless "
                        + "--no-verify, whether the stored bytes still match the manifest's SHA-256 (read back by "
                        + "the worker). Then the Measured RPO: each kind's lag over the last 7 days (p50, p99, max) "
                        + "against the plan's RPO, OK or OVER.",
                "Exits 0 when every listed backup verified, 1 when any is corrupt or missing."})
final class BackupsListCommand extends TemporalCommand {
    @Mixin
    PlanOption planOption;

    @Option(names = "--kind", paramLabel = "KIND", converter = BackupKindConverter.class,
            description = "state, artifacts or secrets; repeatable (default: all).")
    List<BackupKind> kinds = new ArrayList<>();

    @Option(names = "--no-verify", description = "Do not re-read the stored objects (fast; CHECKSUM shows '-').")
    boolean noVerify;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json.")
    String format;

    Clock clock = Clock.systemUTC();

    @Override
    protected int run(TemporalOptions.Connection temporal) {
        if (!format.equals("text") && !format.equals("json")) {
            throw new CliException(ExitCodes.USAGE,
                    "Invalid value for option '--format': expected text or json, got \"" + format + "\"", null);
        }
        String id = WorkflowRun.defaultId("backups-list", planOption.plan, clock) + "-"
                + Long.toHexString(System.nanoTime());
        BackupCatalogWorkflow workflow = temporal.client().newWorkflowStub(BackupCatalogWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(temporal.taskQueue()).build());
        BackupCatalog catalog;
        try {
            catalog = workflow.list(new CatalogRequest(planOption.plan, kinds, !noVerify));
        } catch (WorkflowFailedException e) {
            throw new CliException(ExitCodes.FAILED, "listing backups failed: " + WorkflowRun.rootMessage(e), e);
        }
        if (format.equals("json")) {
            try {
                out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(catalog));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new CliException(ExitCodes.ERROR, "cannot render JSON: " + e.getOriginalMessage(), e);
            }
        } else {
            out().print(BackupReportFormatter.table(catalog, clock.millis()));
        }
        out().flush();
        boolean allOk = catalog.entries().stream()
                .allMatch(e -> e.verification() == null || e.verification().ok());
        return allOk ? ExitCodes.RECOVERED : ExitCodes.FAILED;
    }
}
