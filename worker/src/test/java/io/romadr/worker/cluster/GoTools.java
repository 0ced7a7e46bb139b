package io.romadr.worker.cluster;

import java.nio.file.Files;
import java.nio.file.Path;

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

    private static Path existing(Path p) {
        if (!Files.exists(p)) {
            throw new IllegalStateException(p + " is missing: build the Go tools with scripts/tools (it needs go and"
                    + " the Go module proxy; scripts/test runs it), or point ROMA_DR_TOOLS at where they are");
        }
        return p;
    }
}
