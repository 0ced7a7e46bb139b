package io.romadr.worker.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where {@code scripts/tools} built the Go tools: {@code $ROMA_DR_TOOLS}, else {@code ~/.cache/roma-dr/tools}. A
 * missing tool is a failure with the command that builds it, never a skip.
 */
public final class GoTools {
    private GoTools() {
    }

    public static Path root() {
        String configured = System.getenv("ROMA_DR_TOOLS");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "roma-dr", "tools");
    }

    /** The Temporal server built from {@code go.temporal.io/server}. */
    public static Path temporalServer() {
        return existing(root().resolve("bin/temporal-server"));
    }

    /** Temporal's schema tool for SQL stores ({@code go.temporal.io/server/cmd/tools/sql}). */
    public static Path temporalSqlTool() {
        return existing(root().resolve("bin/temporal-sql-tool"));
    }

    /** The server module's {@code schema/} directory (e.g. {@code postgresql/v12/temporal/versioned}). */
    public static Path temporalSchema() {
        return existing(root().resolve("temporal-schema"));
    }

    /** The server module's {@code config/} directory (example configurations, {@code dynamicconfig/}). */
    public static Path temporalConfig() {
        return existing(root().resolve("temporal-config"));
    }

    public static Path helm() {
        return existing(root().resolve("bin/helm"));
    }

    /** How long a test waits for a build of the tools that scripts/test started in the background. */
    private static final Duration BUILD_WAIT = Duration.ofMinutes(20);

    private static Path existing(Path p) {
        awaitBackgroundBuild();
        if (!Files.exists(p)) {
            throw new IllegalStateException(p + " is missing: build the Go tools with scripts/tools (it needs go and"
                    + " the Go module proxy; scripts/test runs it, its log: " + root().resolve("build.log")
                    + "), or point ROMA_DR_TOOLS at where they are");
        }
        return p;
    }

    /**
     * Waits while scripts/tools runs (its marker file names a live process): CI builds the tools in the background
     * while the other modules' tests run.
     */
    private static synchronized void awaitBackgroundBuild() {
        Path marker = root().resolve(".building");
        long deadline = System.nanoTime() + BUILD_WAIT.toNanos();
        while (building(marker)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("scripts/tools is still building the Go tools after " + BUILD_WAIT
                        + "; its log: " + root().resolve("build.log"));
            }
            try {
                Thread.sleep(1000); // polling a build that runs for minutes: a second is fine-grained enough
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for scripts/tools", e);
            }
        }
    }

    private static boolean building(Path marker) {
        try {
            long pid = Long.parseLong(Files.readString(marker).strip());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false; // no marker (or a torn one): nothing to wait for
        }
    }
}
