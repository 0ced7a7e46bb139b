package io.romadr.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --plan NAME}, checked as the worker checks plan names (they are file names there). */
final class PlanOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    String plan;

    @Option(names = "--plan", required = true, paramLabel = "NAME", description = "The plan's name, e.g. roma.")
    void setPlan(String name) {
        plan = PlanNames.check(mixee, name);
    }
}
