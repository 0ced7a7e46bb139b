package io.romadr.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "schedules", mixinStandardHelpOptions = true, versionProvider = RomaDrCommand.Version.class,
        description = "Run backups on Temporal Schedules made from the plans.",
        subcommands = {SchedulesApplyCommand.class, SchedulesListCommand.class})
final class SchedulesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing the command: apply or list");
    }
}
