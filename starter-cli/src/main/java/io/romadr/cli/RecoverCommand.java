package io.romadr.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "recover", mixinStandardHelpOptions = true, versionProvider = RomaDrCommand.Version.class,
        description = "Start a recovery workflow.",
        subcommands = {RecoverServiceCommand.class, RecoverDataCommand.class, RecoverGitCommand.class,
                RecoverSiteCommand.class, RecoverSecurityIncidentCommand.class},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
                ExitCodes.L0, ExitCodes.L1, ExitCodes.L2, ExitCodes.L3, ExitCodes.L4, ExitCodes.L5, ExitCodes.L6,
                ExitCodes.L7})
final class RecoverCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "Missing the scenario: 'service', 'data', 'git' or 'site'");
    }
}
