package io.romadr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.romadr.report.Outcome;
import io.romadr.report.Progress;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    private static final long START = 1_700_000_000_000L;
    private static final long RTO = 15 * 60_000L;

    private static Progress progress(String step, int round, boolean breached, long rto) {
        return new Progress("service-failure", "roma", Outcome.RUNNING, step, round, START, rto, breached, null,
                List.of(new StepRecord(step, round, START, 0, 0, StepOutcome.RUNNING, "")), null);
    }

    @Test
    void showsElapsedStepRoundAndBudgetLeft() {
        long now = START + 3 * 60_000 + 12_000;
        assertEquals("[03:12] step=wait-healthy round=1 rto-left=11:48",
                ProgressLine.format(progress("wait-healthy", 1, false, RTO), now));
    }

    @Test
    void aRecoveryThatWaitedForAWorkerShowsItsQueueWaitAndCountsFromTheIncident() {
        // Detected at START, requested 20 s later, first step 40 s after that.
        var incident = new io.romadr.report.IncidentTimes(START, START + 20_000, START + 60_000, START, "");
        Progress p = new Progress("service-failure", "roma", Outcome.RUNNING, "assess", 1, START, RTO, false, null,
                List.of(), incident);
        assertEquals("[01:05] step=assess round=1 queued=00:40 rto-left=13:55",
                ProgressLine.format(p, START + 65_000));
    }

    @Test
    void showsTheBreachInsteadOfTheBudget() {
        long now = START + 16 * 60_000 + 2_000;
        assertEquals("[16:02] step=recreate round=2 RTO BREACHED",
                ProgressLine.format(progress("recreate", 2, true, RTO), now));
    }

    @Test
    void aSpentBudgetNotYetMarkedReadsZero() {
        long now = START + RTO + 5_000;
        assertEquals("[15:05] step=watch round=1 rto-left=00:00",
                ProgressLine.format(progress("watch", 1, false, RTO), now));
    }

    @Test
    void aRestoredServiceInItsWatchWindowShowsTheRtoMet() {
        Progress p = new Progress("service-failure", "roma", Outcome.RUNNING, "watch", 1, START, RTO, false,
                START + 42_000, List.of(), null);
        assertEquals("[16:00] step=watch round=1 restored-in=00:42 (RTO met)",
                ProgressLine.format(p, START + 16 * 60_000));
    }

    @Test
    void beforeThePlanIsLoaded() {
        Progress p = new Progress("service-failure", "roma", Outcome.RUNNING, "", 0, 0, 0, false, null, List.of(),
                null);
        assertEquals("[00:00] step=- round=0 rto-left=--:--", ProgressLine.format(p, START));
    }

    @Test
    void pastAnHourShowsHours() {
        long now = START + 61 * 60_000 + 1_000;
        assertEquals("[1:01:01] step=rebuild: build round=1 RTO BREACHED",
                ProgressLine.format(progress("rebuild: build", 1, true, RTO), now));
    }

    @Test
    void keyIgnoresTheTickingClock() {
        Progress p = progress("restart", 1, false, RTO);
        assertEquals(ProgressLine.key(p), ProgressLine.key(p));
        assertNotEquals(ProgressLine.key(p), ProgressLine.key(progress("restart", 2, false, RTO)));
        assertNotEquals(ProgressLine.key(p), ProgressLine.key(progress("restart", 1, true, RTO)));
        assertNotEquals(ProgressLine.key(p), ProgressLine.key(progress("recreate", 1, false, RTO)));
    }

    @Test
    void resultLines() {
        assertEquals("RECOVERED wf-1 in 01:05: Recovered by restart.",
                ProgressLine.result(report(Outcome.RECOVERED, false, "Recovered by restart.")));
        assertEquals("RECOVERED, RTO BREACHED wf-1 in 01:05: late",
                ProgressLine.result(report(Outcome.RECOVERED, true, "late")));
        assertEquals("FAILED wf-1 in 01:05: Not recovered: nothing helped",
                ProgressLine.result(report(Outcome.FAILED, false, "Not recovered:\nnothing helped")));
    }

    @Test
    void exitCodesFollowTheOutcome() {
        assertEquals(0, ExitCodes.of(report(Outcome.RECOVERED, false, "")));
        assertEquals(3, ExitCodes.of(report(Outcome.RECOVERED, true, "")));
        assertEquals(1, ExitCodes.of(report(Outcome.FAILED, false, "")));
        assertEquals(1, ExitCodes.of(report(Outcome.FAILED, true, "")));
    }

    private static ServiceRecoveryReport report(Outcome outcome, boolean breached, String summary) {
        return new ServiceRecoveryReport("wf-1", "service-failure", "roma", "", outcome, START, START + 65_000, RTO,
                outcome == Outcome.RECOVERED ? 65_000L : null, breached, breached ? START + 1_000 : null, 0,
                List.of(), summary, null);
    }
}
