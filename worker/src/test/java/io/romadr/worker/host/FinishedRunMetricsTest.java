package io.romadr.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.backup.VerificationReport;
import io.romadr.backup.VerificationRow;
import io.romadr.backup.VerificationStatus;
import io.romadr.report.Outcome;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.scenario.servicefailure.ServiceRecoveryRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the metrics interceptors read a finished run: which recoveries are drills, and the verification rows. */
class FinishedRunMetricsTest {
    @Test
    void aDrillIsKnownByItsRequestOrItsFirstTrigger() {
        ServiceRecoveryReport plain = report(List.of());
        assertTrue(RecoveryOutcomeInterceptor.isDrill(plain, new ServiceRecoveryRequest("roma", "drill: kill",
                "drill")));
        assertFalse(RecoveryOutcomeInterceptor.isDrill(plain, new ServiceRecoveryRequest("roma", "", "cli:alice")));
        // Started by RecoveryStarter with the drill's trigger notice ("drill" as source).
        ServiceRecoveryReport triggered = report(List.of(new StepRecord("trigger-requested", 1, 0, 0, 1,
                StepOutcome.OK, "drill: drill")));
        assertTrue(RecoveryOutcomeInterceptor.isDrill(triggered, null));
        ServiceRecoveryReport byAlert = report(List.of(new StepRecord("trigger-requested", 1, 0, 0, 1,
                StepOutcome.OK, "alertmanager 3f2a: RomaDown")));
        assertFalse(RecoveryOutcomeInterceptor.isDrill(byAlert, null));
    }

    @Test
    void verificationRowsHaveEveryStatusOfEachKind() {
        VerificationReport report = new VerificationReport("wf", "roma", 0, 1, List.of(
                new VerificationRow("state", "freshness", VerificationStatus.OK, ""),
                new VerificationRow("state", "integrity", VerificationStatus.CORRUPT, ""),
                new VerificationRow("secrets", "decrypt", VerificationStatus.OK, "")), List.of(), "");
        Map<String, Map<String, Long>> rows = BackupOutcomeInterceptor.rows(report);
        assertEquals(Map.of("OK", 1L, "STALE", 0L, "CORRUPT", 1L, "MISSING", 0L), rows.get("state"));
        assertEquals(Map.of("OK", 1L, "STALE", 0L, "CORRUPT", 0L, "MISSING", 0L), rows.get("secrets"));
        assertEquals(2, rows.size());
    }

    private static ServiceRecoveryReport report(List<StepRecord> timeline) {
        return new ServiceRecoveryReport("wf", "service-failure", "roma", "", Outcome.RECOVERED, 0, 1000, 60_000, 1000L,
                false, null, 0, timeline, "", null);
    }
}
