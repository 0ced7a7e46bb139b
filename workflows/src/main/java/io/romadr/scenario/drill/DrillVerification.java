package io.romadr.scenario.drill;

import java.util.List;

/**
 * The independent check after the recovery.
 *
 * @param ok       every check passed
 * @param checks   one line per check ("health check http: ok", "roma-roma-1 running image sha256:... as before")
 * @param problems the lines that did not pass (empty when ok)
 */
public record DrillVerification(boolean ok, List<String> checks, List<String> problems) {
    public DrillVerification {
        checks = checks == null ? List.of() : List.copyOf(checks);
        problems = problems == null ? List.of() : List.copyOf(problems);
    }
}
