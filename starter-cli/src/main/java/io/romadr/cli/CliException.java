package io.romadr.cli;

/** A failure the user should see as one line on stderr, with the exit code it maps to. */
final class CliException extends RuntimeException {
    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause, false, true);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
