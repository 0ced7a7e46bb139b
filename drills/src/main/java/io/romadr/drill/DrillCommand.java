package io.romadr.drill;

import picocli.CommandLine.Command;

/** {@code roma-dr drill <scenario>}: rehearse a scenario end to end. */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = "Run a recovery drill: inject a fault into a sandbox service and recover it.",
        subcommands = {ServiceFailureDrill.class, GitLossDrill.class, DataCorruptionDrill.class,
                TotalLossDrill.class})
public final class DrillCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "name a scenario: service-failure, git-loss, data-corruption or total-loss");
    }
}
