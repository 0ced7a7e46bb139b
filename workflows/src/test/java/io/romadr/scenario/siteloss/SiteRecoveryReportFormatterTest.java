package io.romadr.scenario.siteloss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.report.ApprovalRecord;
import io.romadr.report.Outcome;
import io.romadr.report.ReportFormatter;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scenario 3's markdown from hand-built reports: one recovered, one failed after the cut-over. */
class SiteRecoveryReportFormatterTest {
    static final long T0 = 1_790_000_000_000L;
    static final long MIN = 60_000;
    static final long RTO = 90 * MIN;

    static List<PhaseRecord> phases(boolean lateData) {
        return List.of(
                new PhaseRecord("provision", 0, 30 * MIN, T0 + 1_000, T0 + 43_000, false),
                new PhaseRecord("install", 30 * MIN, 45 * MIN, T0 + 43_000, T0 + 2 * MIN, false),
                new PhaseRecord("restore-application", 45 * MIN, 60 * MIN, T0 + 2 * MIN, T0 + 10 * MIN, false),
                new PhaseRecord("restore-data", 60 * MIN, 75 * MIN, T0 + 10 * MIN,
                        lateData ? T0 + 80 * MIN : T0 + 12 * MIN, lateData),
                new PhaseRecord("verify-and-cutover", 75 * MIN, 90 * MIN, lateData ? T0 + 80 * MIN : T0 + 12 * MIN,
                        lateData ? T0 + 84 * MIN : T0 + 15 * MIN, false));
    }

    static SiteRecoveryReport recovered() {
        List<StepRecord> steps = List.of(
                new StepRecord("load-plan", 1, T0, T0 + 200, 1, StepOutcome.OK, "plan \"roma\""),
                new StepRecord("provision", 1, T0 + 1_000, T0 + 40_000, 1, StepOutcome.OK, "docker roma-recovery"),
                new StepRecord("approval", 1, T0 + 13 * MIN, T0 + 14 * MIN, 0, StepOutcome.OK, "approved by alice"),
                new StepRecord("dns-update", 1, T0 + 14 * MIN, T0 + 14 * MIN + 5_000, 1, StepOutcome.OK,
                        "changed to roma.example.internal. A 60 10.9.9.9"),
                new StepRecord("watch", 1, T0 + 14 * MIN + 5_000, T0 + 15 * MIN, 0, StepOutcome.OK, "2 probe(s)"));
        return new SiteRecoveryReport("site-loss-roma-1", "roma", "docker", "cli:ops", "drill", Outcome.RECOVERED,
                T0, T0 + 15 * MIN, RTO, false, T0 + 14 * MIN + 5_000,
                new SiteServer("docker", "srv-0", "roma-recovery", "10.9.9.9", "running", 1),
                phases(false),
                new SourceResult("backup", "c0ffeec0ffee1234", 12, List.of("origin: connection refused")),
                new SecretsInstallResult("secrets/roma/1.tar.gpg", "/srv/app/.env", List.of("API_TOKEN", "DB_URL")),
                new ImagePullResult(Map.of("roma-builder:latest", "backup-registry/roma-builder:latest"), "backup",
                        List.of("primary: connection refused")),
                "state/roma/old.tar.zst", "artifacts/roma/new.tar.zst", 2 * 3_600_000L,
                List.of("state/roma/new.tar.zst: sha256 mismatch"),
                new DnsValue("roma.example.internal.", "A", 60, List.of("10.0.0.1")),
                new DnsValue("roma.example.internal.", "A", 60, List.of("10.9.9.9")), null,
                new ApprovalRecord("dns-cutover", "Point roma.example.internal at 10.9.9.9 (roma-recovery)?",
                        T0 + 13 * MIN, T0 + 14 * MIN, "alice", true, false, "new site checked"),
                "", List.of(), steps, "Site restored on docker roma-recovery at 10.9.9.9 in 14:05.");
    }

    static SiteRecoveryReport failed() {
        List<StepRecord> steps = List.of(
                new StepRecord("provision", 1, T0 + 1_000, T0 + 40_000, 1, StepOutcome.OK, "docker roma-recovery"),
                new StepRecord("rto-breached", 1, T0 + RTO, T0 + RTO, 0, StepOutcome.BREACH, "RTO of 01:30:00 spent"),
                new StepRecord("dns-update", 1, T0 + 82 * MIN, T0 + 82 * MIN + 5_000, 1, StepOutcome.OK, "changed"),
                new StepRecord("watch", 1, T0 + 83 * MIN, T0 + 84 * MIN, 0, StepOutcome.FAILED,
                        "unhealthy at probe 1: http | 503"),
                new StepRecord("compensate: dns", 1, T0 + 84 * MIN, T0 + 84 * MIN + 2_000, 1, StepOutcome.OK,
                        "restored"),
                new StepRecord("compensate: server", 1, T0 + 84 * MIN + 2_000, T0 + 84 * MIN + 2_000, 0,
                        StepOutcome.SKIPPED, "kept for forensics"));
        return new SiteRecoveryReport("site-loss-roma-2", "roma", "aws", "cli:ops", "", Outcome.FAILED, T0,
                T0 + 95 * MIN, RTO, true, T0 + 82 * MIN + 5_000,
                new SiteServer("aws", "i-0abc", "", "203.0.113.7", "running", 1),
                phases(true), null, null, null, "", "", null, List.of(),
                new DnsValue("roma.example.internal.", "A", 60, List.of("10.0.0.1")),
                new DnsValue("roma.example.internal.", "A", 60, List.of("203.0.113.7")), null, null,
                "bob: disk image needed for the post-mortem",
                List.of("DNS restored to roma.example.internal. A 60 10.0.0.1",
                        "server aws i-0abc at 203.0.113.7 KEPT for forensics (bob: disk image needed for the "
                                + "post-mortem); terminate it when done"),
                steps, "Site recovery failed at watch: unhealthy at probe 1 after the cut-over; compensation: ...");
    }

    @Test
    void aRecoveredSiteShowsPhasesSourcesDnsAndApproval() {
        String md = ReportFormatter.markdown(recovered());
        assertTrue(md.startsWith("## Site recovery (Scenario 3): roma\n"), md);
        List<String> lines = md.lines().toList();
        for (String line : List.of(
                "- **Workflow:** site-loss-roma-1",
                "- **Started:** 2026-09-21 14:13:20 UTC by cli:ops",
                "- **Reason:** drill",
                "- **Outcome:** RECOVERED",
                "- **Provider:** docker",
                "- **Server:** roma-recovery (id srv-0) at 10.9.9.9, running",
                "- **RTO Target:** 1:30:00",
                "- **RTO Actual:** 14:05 (restored when the DNS moved)",
                "- **Total time:** 15:00",
                "| Phase | Budget | Started | Took | Over budget? |",
                "| provision | 0–30 min | +00:01 | 00:42 | no |",
                "| install | 30–45 min | +00:43 | 01:17 | no |",
                "| restore-data | 60–75 min | +10:00 | 02:00 | no |",
                "| verify-and-cutover | 75–90 min | +12:00 | 03:00 | no |",
                "- **Source:** git remote backup at c0ffeec0ffee1234, 12 file(s)",
                "  - passed over: origin: connection refused",
                "- **Secrets:** secrets/roma/1.tar.gpg into /srv/app/.env; variables: API_TOKEN, DB_URL",
                "- **Images:** from the backup registry",
                "  - roma-builder:latest → backup-registry/roma-builder:latest",
                "- **State:** state/roma/old.tar.zst (data age 2h)",
                "- **Artifacts:** artifacts/roma/new.tar.zst",
                "- **Backup refused:** state/roma/new.tar.zst: sha256 mismatch",
                "- **DNS:** roma.example.internal. A 60 10.0.0.1 → roma.example.internal. A 60 10.9.9.9",
                "- **Approval:** approved by alice (new site checked) — Point roma.example.internal at 10.9.9.9 "
                        + "(roma-recovery)?",
                "| 14:00 | dns-update | Success: changed to roma.example.internal. A 60 10.9.9.9 | 1 | 5.0s | 1 |",
                "Site restored on docker roma-recovery at 10.9.9.9 in 14:05.")) {
            assertTrue(lines.contains(line), () -> "missing line: " + line + "\n" + md);
        }
        assertFalse(md.contains("RTO BREACHED"), md);
        assertFalse(md.contains("### Compensation"), md);
        assertFalse(md.contains("Kept for forensics"), md);
    }

    @Test
    void aFailedRecoveryShowsTheBreachTheOverrunPhaseAndTheCompensation() {
        String md = ReportFormatter.markdown(failed());
        List<String> lines = md.lines().toList();
        for (String line : List.of(
                "- **Outcome:** FAILED",
                "- **Provider:** aws",
                "- **Server:** i-0abc at 203.0.113.7, running",
                "- **RTO Actual:** 1:22:05 (restored when the DNS moved)  (RTO BREACHED at +1:30:00)",
                "| restore-data | 60–75 min | +10:00 | 1:10:00 | YES (ended at +1:20:00) |",
                "- **Source:** not installed",
                "- **Secrets:** not installed",
                "- **Images:** not pulled",
                "- **State:** not restored",
                "- **DNS:** roma.example.internal. A 60 10.0.0.1 → roma.example.internal. A 60 203.0.113.7",
                "- **Kept for forensics:** bob: disk image needed for the post-mortem",
                "### Compensation",
                "- DNS restored to roma.example.internal. A 60 10.0.0.1",
                "- server aws i-0abc at 203.0.113.7 KEPT for forensics (bob: disk image needed for the post-mortem); "
                        + "terminate it when done",
                "| 1:23:00 | watch | Failed: unhealthy at probe 1: http \\| 503 | 1 | 60.0s | 0 |",
                "### Issues Encountered", "1. rto-breached: RTO breached: RTO of 01:30:00 spent",
                "2. watch: Failed: unhealthy at probe 1: http \\| 503",
                "**Scenario:** Full disaster recovery (Scenario 3)  ", "- **Success:** No")) {
            assertTrue(lines.contains(line), () -> "missing line: " + line + "\n" + md);
        }
        assertFalse(md.contains("- **Reason:**"), md);
        assertFalse(md.contains("- **Approval:**"), md);
    }

    @Test
    void budgetsOffWholeMinutesAndPhaseLines() {
        PhaseRecord shortRto = new PhaseRecord("provision", 0, 20_000, T0, T0 + 25_000, true);
        assertEquals("00:00–00:20", SiteRecoveryReportFormatter.budget(shortRto));
        assertEquals("phase provision done in 00:25 (budget 00:00–00:20) OVER BUDGET",
                SiteRecoveryReportFormatter.phaseLine(shortRto));
        assertEquals("phase provision done in 00:42 (budget 0–30 min)",
                SiteRecoveryReportFormatter.phaseLine(phases(false).get(0)));
        assertNull(SiteRecoveryReportFormatter.phaseLine(new PhaseRecord("install", 0, MIN, T0, null, false)));
    }
}
