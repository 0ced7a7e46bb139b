package io.romadr.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Every leaf command: {@code --help}, {@code --verbose}, output through picocli's writers (so tests can capture it)
 * and one rule for failures: one line on stderr and an exit code from {@link ExitCodes}, a stack trace only with
 * {@code --verbose}.
 */
@Command(sortOptions = false, exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
        ExitCodes.L0, ExitCodes.L1, ExitCodes.L2, ExitCodes.L3, ExitCodes.L4, ExitCodes.L5, ExitCodes.L6, ExitCodes.L7})
abstract class BaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
    boolean verbose;

    @Override
    public final Integer call() {
        RomaDrCommand.quietLibraries(verbose);
        try {
            return run();
        } catch (CliException e) {
            return fail(e.exitCode(), e.getMessage(), e);
        } catch (RuntimeException e) {
            return fail(ExitCodes.ERROR, describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(ExitCodes.ERROR, "interrupted", e);
        }
    }

    /** The command's work; returns its exit code. */
    protected abstract int run() throws InterruptedException;

    /** A one-line description of an unexpected failure; commands that talk to Temporal refine it. */
    protected String describe(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    private int fail(int code, String message, Throwable e) {
        PrintWriter err = err();
        err.println("roma-dr: " + oneLine(message));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.strip().replaceAll("\\s*\\R\\s*", " ");
        return line.length() > 300 ? line.substring(0, 297) + "..." : line;
    }
}
