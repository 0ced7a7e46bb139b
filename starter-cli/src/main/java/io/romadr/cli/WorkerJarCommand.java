package io.romadr.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code worker} (and {@code drill --embedded}, see {@link ServerDrillCommand}), listed here so {@code roma-dr --help}
 * shows every command: they run from the worker jar and the drills jar (activities, Docker, the embedded Temporal
 * server), which the {@code ./roma-dr} launcher picks for them. Reached only when this jar is run directly; then it
 * says what to run instead.
 */
abstract class WorkerJarCommand extends BaseCommand {
    /** The jar the launcher runs each of these commands from. */
    static final Map<String, String> JARS = Map.of(
            "drill", "drills/target/roma-dr-drills.jar",
            "logs", "worker/target/roma-dr-worker.jar",
            "worker", "worker/target/roma-dr-worker.jar");

    /** Whatever the worker jar's command would take. */
    @Unmatched
    List<String> ignored;

    @Override
    protected int run() {
        String name = spec.name();
        String jar = JARS.get(name);
        throw new CliException(ExitCodes.USAGE, "'" + name + "' runs from " + jar + ": use the ./roma-dr launcher"
                + " (roma-dr " + name + " ...), or java -jar " + jar + " " + name + " ...");
    }

    @Command(name = "worker", description = "Run a roma-dr worker against a Temporal server "
            + "(roma-dr worker --address HOST:7233 --plans DIR); run by the worker jar.")
    static final class Worker extends WorkerJarCommand {
    }

    @Command(name = "logs", description = "Print a plan's shipped production logs for a time range from its backup "
            + "store (roma-dr logs --plan P [--service S] --since T [--until T] [--output FILE]); run by the worker "
            + "jar, which reads the store.")
    static final class Logs extends WorkerJarCommand {
    }
}
