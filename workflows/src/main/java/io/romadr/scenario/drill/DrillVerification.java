package io.romadr.scenario.drill;

import java.util.List;

/**
 * The independent check after the recovery.
 *
 * @param ok       every check passed
 * @param checks   one line per check ("health check http: ok", "roma-roma-1 running image sha256:... as before")
 * @param problems the lines that did not pass (empty when ok)
 * @param dataLoss the report's "Data Loss" as measured against the state before ("None", "3 of 20 artifacts differ
 *                 from before the fault: run-1.json, ..."); empty when the scenario's checks do not measure it
 */
public record DrillVerification(boolean ok, List<String> checks, List<String> problems, String dataLoss) {
    public DrillVerification {
        checks = checks == null ? List.of() : List.copyOf(checks);
        problems = problems == null ? List.of() : List.copyOf(problems);
        dataLoss = dataLoss == null ? "" : dataLoss;
    }

    public DrillVerification(boolean ok, List<String> checks, List<String> problems) {
        this(ok, checks, problems, "");
    }
}
