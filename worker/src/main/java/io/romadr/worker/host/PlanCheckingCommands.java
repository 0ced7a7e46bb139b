package io.romadr.worker.host;

import io.dropwizard.core.Application;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.romadr.plan.PlanException;
import io.romadr.plan.PlanRepository;
import java.io.PrintWriter;
import java.util.List;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * Dropwizard's {@code server} and {@code check} commands, validating the plans directory too: every broken plan is
 * one {@code file:line: field: problem} line on stderr and the exit code is non-zero, with no stack trace (the same
 * lines as the bare worker prints).
 */
final class PlanCheckingCommands {
    private PlanCheckingCommands() {
    }

    /** Thrown when plans or the routes to them are broken; its lines are already what the operator needs. */
    static final class InvalidPlans extends RuntimeException {
        InvalidPlans(List<String> lines) {
            super(String.join("\n", lines), null, false, false);
        }
    }

    /** @return the names of the plans, all valid, every alert route naming one of them */
    static List<String> requireValidPlans(RomaDrConfiguration config) {
        PlanRepository plans = new PlanRepository(config.plansDir());
        List<PlanException> problems = plans.problems();
        if (!problems.isEmpty()) {
            throw new InvalidPlans(problems.stream().map(PlanException::getMessage).toList());
        }
        List<String> names = plans.names();
        try {
            new AlertRouter(config.webhooks().alertmanager().routes(), names);
        } catch (IllegalArgumentException route) {
            throw new InvalidPlans(List.of(route.getMessage()));
        }
        return names;
    }

    /** Prints what a start-up failure says: the plan lines alone, or (anything else) the usual trace. */
    static boolean printedPlanProblems(Cli cli, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidPlans || t instanceof PlanException) {
                PrintWriter err = cli.getStdErr();
                err.println(t.getMessage());
                err.flush();
                return true;
            }
        }
        return false;
    }

    static final class Server extends ServerCommand<RomaDrConfiguration> {
        Server(Application<RomaDrConfiguration> application) {
            super(application);
        }

        @Override
        protected void run(Bootstrap<RomaDrConfiguration> bootstrap, Namespace namespace, RomaDrConfiguration config)
                throws Exception {
            requireValidPlans(config);
            super.run(bootstrap, namespace, config);
        }

        @Override
        public void onError(Cli cli, Namespace namespace, Throwable e) {
            if (!printedPlanProblems(cli, e)) {
                super.onError(cli, namespace, e);
            }
        }
    }

    static final class Check extends CheckCommand<RomaDrConfiguration> {
        Check(Application<RomaDrConfiguration> application) {
            super(application);
        }

        @Override
        protected void run(Bootstrap<RomaDrConfiguration> bootstrap, Namespace namespace, RomaDrConfiguration config)
                throws Exception {
            List<String> names = requireValidPlans(config);
            // printed, not logged: the log's console appender may not flush before the JVM exits
            System.out.println("Plans are OK: " + names + " in " + config.plansDir());
            System.out.flush();
            super.run(bootstrap, namespace, config);
        }

        @Override
        public void onError(Cli cli, Namespace namespace, Throwable e) {
            if (!printedPlanProblems(cli, e)) {
                super.onError(cli, namespace, e);
            }
        }
    }
}
