package io.romadr.activities.plan;

import io.romadr.activities.process.HostCommandRunner;
import io.romadr.activities.verify.LogRedactor;
import io.romadr.plan.CommandStep;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Runs a plan's command step on the worker's host, with its env file's variables (masked again in the output), and
 * turns the outcome into an activity failure the same way in every scenario: a step that cannot start is
 * non-retryable; interrupted, timed out (killed) and a non-zero exit are retryable, since plan steps are safe to run
 * twice and what they talk to may be briefly down.
 */
public final class CommandStepRunner {
    /** A step that exited 0: how long it ran and the tail of its output, secrets masked. */
    public record Completed(long millis, String outputTail) {
    }

    private final HostCommandRunner commands;

    public CommandStepRunner(HostCommandRunner commands) {
        this.commands = commands;
    }

    /** {@code label} names the step in messages ("step", "recreate step"); {@code onTick} runs while it runs. */
    public Completed run(CommandStep step, String label, Runnable onTick) {
        String named = label + " \"" + step.name() + "\"";
        PlanEnvironment.Resolved env = PlanEnvironment.resolve(step.env());
        HostCommandRunner.Result r;
        try {
            r = commands.run(step.command(), step.workdir() == null ? null : Path.of(step.workdir()), env.values(),
                    step.timeout(), onTick);
        } catch (IOException e) {
            throw ApplicationFailure.newNonRetryableFailure(named + " could not start: "
                    + LogRedactor.redact(String.valueOf(e.getMessage())), "CommandNotStarted");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApplicationFailure.newFailure(named + " interrupted", "Interrupted");
        }
        String tail = r.outputTail().isBlank() ? "(no output)" : env.mask(r.outputTail());
        if (r.timedOut()) {
            throw ApplicationFailure.newFailure(named + " timed out after " + step.timeout().toSeconds()
                    + " s and was killed; output tail:\n" + tail, "CommandTimedOut");
        }
        if (r.exitCode() != 0) {
            throw ApplicationFailure.newFailure(named + " exited with " + r.exitCode() + "; output tail:\n" + tail,
                    "CommandFailed", r.exitCode());
        }
        return new Completed(r.millis(), tail);
    }
}
