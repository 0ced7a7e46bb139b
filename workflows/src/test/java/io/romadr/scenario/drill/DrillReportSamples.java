package io.romadr.scenario.drill;

import io.romadr.scenario.drill.DrillReport.ActionItem;
import io.romadr.scenario.drill.DrillReport.SignOffRecord;
import io.romadr.scenario.drill.DrillReport.TimelineRow;
import java.util.List;

/** Drill reports for the formatter tests: a finished, signed Scenario 1 drill, and a bare one still running. */
final class DrillReportSamples {
    static final long START = 1_796_623_200_000L; // 2026-12-07 06:00:00 UTC

    private DrillReportSamples() {
    }

    static DrillReport finished() {
        return new DrillReport("roma-dr-drill-service-failure-roma-staging-20261207", "2026-12-07",
                "service-failure", "Service restart (Scenario 1)", "roma-staging", "carol", "alice", "bob", "dave",
                "Service restart within 15 min", true, 900_000L, 83_000L, "None", START, START + 90_000L,
                List.of(new TimelineRow(0, 4_000, "pre-drill", "Started drill", "N/A"),
                        new TimelineRow(4_000, 1_000, "pre-drill", "Documented current state", "Success"),
                        new TimelineRow(5_000, 500, "fault", "Injected fault: kill roma", "Success"),
                        new TimelineRow(35_000, 0, "recovery", "alert RomaDown fired", "webhook started the recovery"),
                        new TimelineRow(36_000, 20_000, "recovery", "restart roma", "Success"),
                        new TimelineRow(56_000, 32_000, "verify", "verify health | smoke tests", "Success"),
                        new TimelineRow(88_000, 2_000, "post-drill", "Drill complete", "Success")),
                List.of("Alert took 30 s to fire\nbecause of the rule's for: clause"),
                List.of(new ActionItem("Shorten the alert's for: to 15s", "bob", false),
                        new ActionItem("Update runbook", "alice", true)),
                List.of(new SignOffRecord("operator", "alice", START + 100_000, ""),
                        new SignOffRecord("observer", "bob", START + 200_000, "timings checked"),
                        new SignOffRecord("manager", "", 0, "not signed within 24h")),
                List.of("container roma: running, image sha256:abc", "newest db backup: 2h05m old"),
                "roma-dr-service-failure-roma-staging", "Scenario 1 drill: recovered in 01:23 of 15:00.");
    }

    /** Just started: no result, no issues, no action items, no sign-offs, no state documented. */
    static DrillReport running() {
        return new DrillReport("roma-dr-drill-1", "2026-12-07", "git-loss", "", "roma-staging", "", "alice", "bob",
                "", "Git recovery within 2 h", null, 7_200_000L, null, null, START, 0,
                List.of(new TimelineRow(0, 0, "pre-drill", "Started drill", "N/A")), List.of(), List.of(),
                List.of(), List.of(), "", "");
    }
}
