package io.romadr.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code roma-dr}: start recoveries on Temporal, follow them, fetch their reports. */
@Command(name = "roma-dr", mixinStandardHelpOptions = true, versionProvider = RomaDrCommand.Version.class,
        description = "Start, follow and report on roma-dr disaster recoveries running on Temporal.",
        subcommands = {RecoverCommand.class, StatusCommand.class, ReportCommand.class, BackupRunCommand.class,
                BackupsCommand.class, RestoreCommand.class, RetentionCommand.class, SchedulesCommand.class,
                ApproveCommand.class, DrillsCommand.class,
                KeepCommand.class, ServerDrillCommand.class, WorkerJarCommand.Worker.class,
                WorkerJarCommand.Logs.class,
                KeysCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
                "  roma-dr recover service --plan roma --reason 'alert: RomaDown' --wait",
                "  roma-dr status roma-dr-service-failure-roma",
                "  roma-dr report roma-dr-service-failure-roma --format json",
                "  roma-dr backup state --plan roma --wait",
                "  roma-dr backups list --plan roma --kind state",
                "  roma-dr restore artifacts --plan roma --only report.json --wait",
                "  roma-dr retention --plan roma --dry-run --wait",
                "  roma-dr schedules apply --plan roma --plans deploy/plans",
                "  roma-dr recover git --plan roma --wait",
                "  roma-dr approve roma-dr-git-loss-roma --reason 'backup checked'",
                "  roma-dr recover site --plan roma --provider aws --wait",
                "  roma-dr drills list --plan roma",
                "  roma-dr drills note drill-service-failure-roma-2026-12-01T10:00:00Z --text 'alert fired late'",
                "  roma-dr drills sign-off drill-service-failure-roma-2026-12-01T10:00:00Z --role observer --as carol",
                "  roma-dr keep roma-dr-site-loss-roma --reason 'disk image for the post-mortem'",
                "  roma-dr drill service-failure --plan roma-staging --operator bob --observer carol",
                "  roma-dr keys generate --id k-2026-12 > payload-keys   (a new key; then: roma-dr keys check)",
                "",
                "Run by the drills and worker jars (the ./roma-dr launcher picks them):",
                "  roma-dr drill service-failure --embedded   rehearse Scenario 1 on an in-process Temporal",
                "  roma-dr worker --address HOST:7233 --plans DIR   run a worker"},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
                ExitCodes.L0, ExitCodes.L1, ExitCodes.L2, ExitCodes.L3, ExitCodes.L4, ExitCodes.L5, ExitCodes.L6,
                ExitCodes.L7})
public final class RomaDrCommand implements Runnable {
    /** Held so the settings stick: java.util.logging keeps loggers only weakly. */
    private static final Logger GRPC = Logger.getLogger("io.grpc");
    private static final Logger NETTY = Logger.getLogger("io.grpc.netty");

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RomaDrCommand()).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing a command: recover, status, report, backup, backups, restore, retention, schedules, approve, "
                        + "drills, keep, drill or worker");
    }

    /** gRPC logs connection trouble through java.util.logging to stderr; errors here are one line instead. */
    static void quietLibraries(boolean verbose) {
        Level level = verbose ? Level.INFO : Level.OFF;
        GRPC.setLevel(level);
        NETTY.setLevel(level);
    }

    /** {@code roma-dr <version> (Temporal Java SDK <version>)}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in = RomaDrCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                // fall through to "unknown"
            }
            return new String[]{"roma-dr " + p.getProperty("version", "unknown")
                    + " (Temporal Java SDK " + io.temporal.serviceclient.Version.LIBRARY_VERSION + ", Java "
                    + System.getProperty("java.version") + ")"};
        }
    }
}
