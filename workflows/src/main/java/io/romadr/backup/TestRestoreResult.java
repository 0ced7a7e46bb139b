package io.romadr.backup;

import java.util.List;

/**
 * Outcome of a test restore: {@code ok} when the snapshot read back and every health check passed on the sandbox.
 * {@code checks} are "name: result" lines; {@code problem} says what failed ("unhealthy after 60s: ...").
 */
public record TestRestoreResult(String objectKey, boolean ok, String sandbox, String image, long restoreMillis,
        List<String> checks, String problem) {
    public TestRestoreResult {
        checks = checks == null ? List.of() : List.copyOf(checks);
        problem = problem == null ? "" : problem;
    }
}
