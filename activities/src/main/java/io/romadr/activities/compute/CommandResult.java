package io.romadr.activities.compute;

/** How a server command ended: exit code (-1 when it timed out or was cancelled), output tails, provider's id. */
public record CommandResult(int exitCode, String stdoutTail, String stderrTail, String commandId) {
    public boolean ok() {
        return exitCode == 0;
    }
}
