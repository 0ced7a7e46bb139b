package io.romadr.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code drill} and {@code worker}, listed here so {@code roma-dr --help} shows every command: they run from the
 * drills jar and the worker jar (activities, Docker, the embedded Temporal server), which the {@code ./roma-dr}
 * launcher picks for them. Reached only when this jar is run directly; then it says what to run instead.
 */
abstract class WorkerJarCommand extends BaseCommand {
    /** Whatever the worker jar's command would take. */
    @Unmatched
    java.util.List<String> ignored;

    /** The jar the launcher runs this command from. */
    abstract String jar();

    @Override
    protected int run() {
        String name = spec.name();
        throw new CliException(ExitCodes.USAGE, "'" + name + "' runs from " + jar() + ": use the ./roma-dr launcher"
                + " (roma-dr " + name + " ...), or java -jar " + jar() + " " + name + " ...");
    }

    @Command(name = "drill", description = "Rehearse a recovery on an in-process Temporal and a sandbox service "
            + "(e.g. roma-dr drill service-failure --embedded); run by the drills jar.")
    static final class Drill extends WorkerJarCommand {
        @Override
        String jar() {
            return "drills/target/roma-dr-drills.jar";
        }
    }

    @Command(name = "worker", description = "Run a roma-dr worker against a Temporal server "
            + "(roma-dr worker --address HOST:7233 --plans DIR); run by the worker jar.")
    static final class Worker extends WorkerJarCommand {
        @Override
        String jar() {
            return "worker/target/roma-dr-worker.jar";
        }
    }
}
