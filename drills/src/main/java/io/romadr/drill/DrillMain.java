package io.romadr.drill;

import io.romadr.worker.WorkerMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the drills jar: {@code drill <scenario>} runs a recovery drill (with {@code --embedded}, on an
 * in-process Temporal and a sandbox service). The launcher sends {@code roma-dr drill ...} here; the production
 * commands (server, check, worker) stay in the worker jar, which holds no drill code.
 */
@Command(name = "roma-dr", mixinStandardHelpOptions = true, version = "roma-dr 0.1.0",
        description = "roma-dr recovery drills.", subcommands = {DrillCommand.class})
public final class DrillMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: drill");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return WorkerMain.withExitCodes(new CommandLine(new DrillMain()));
    }
}
