package io.romadr.cli;

import io.romadr.plan.RecoveryPlan;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The --plan check every command shares: plan names are file names on the worker. */
final class PlanNames {
    private PlanNames() {
    }

    static String check(CommandSpec spec, String name) {
        if (!RecoveryPlan.isValidName(name)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--plan': \"" + name
                    + "\" (lower-case letters, digits, '.', '_' or '-', at most 63)");
        }
        return name;
    }
}
