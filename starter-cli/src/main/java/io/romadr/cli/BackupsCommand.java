package io.romadr.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "backups", mixinStandardHelpOptions = true, versionProvider = RomaDrCommand.Version.class,
        description = "Inspect stored backups.", subcommands = {BackupsListCommand.class, BackupsVerifyCommand.class,
                BackupsAuditCommand.class})
final class BackupsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "Missing the command: list, verify or audit");
    }
}
