package io.romadr.worker;

import io.romadr.worker.host.RomaDrApplication;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the worker jar: {@code server config.yml} (and {@code check config.yml}) run the Dropwizard worker
 * host ({@link RomaDrApplication}: worker, alert webhooks, health checks, metrics); {@code worker} runs a bare
 * worker against a Temporal server. Drills are in the drills jar (module {@code drills}).
 */
@Command(name = "roma-dr", mixinStandardHelpOptions = true, version = "roma-dr 0.1.0",
        description = {"roma-dr worker host.",
                "The worker host with alert webhooks: server <config.yml> (check <config.yml> validates it)."},
        subcommands = {WorkerCommand.class, LogsCommand.class})
public final class WorkerMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: server, check or worker");
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && DROPWIZARD_COMMANDS.contains(args[0])) {
            new RomaDrApplication().run(args);
            return;
        }
        System.exit(commandLine().execute(args));
    }

    /** Arguments starting with one of these go to the Dropwizard application, everything else to picocli. */
    static final java.util.Set<String> DROPWIZARD_COMMANDS = java.util.Set.of("server", "check");

    public static CommandLine commandLine() {
        return withExitCodes(new CommandLine(new WorkerMain()));
    }

    /** One line on stderr and exit code 6 for a command that fails; shared with the drills jar's command line. */
    public static CommandLine withExitCodes(CommandLine cl) {
        cl.setExecutionExceptionHandler((e, cmd, parse) -> {
            cmd.getErr().println("roma-dr: " + oneLine(e));
            if (System.getenv("ROMA_DR_VERBOSE") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return 6;
        });
        return cl;
    }

    /** The message of the exception and of its causes, on one line (set ROMA_DR_VERBOSE=1 for the trace). */
    static String oneLine(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 400; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            String line = m.lines().findFirst().orElse("");
            if (sb.indexOf(line) < 0) {
                sb.append(sb.length() == 0 ? "" : ": ").append(line);
            }
        }
        return sb.toString();
    }
}
