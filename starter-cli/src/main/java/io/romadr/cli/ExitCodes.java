package io.romadr.cli;

import io.romadr.report.Outcome;
import io.romadr.report.ScenarioReport;

/** The process exit codes of {@code roma-dr}; scripts and scheduled drills branch on them. */
public final class ExitCodes {
    public static final int RECOVERED = 0;
    public static final int FAILED = 1;
    /** picocli's own code for a bad command line. */
    public static final int USAGE = 2;
    public static final int RTO_BREACHED = 3;
    public static final int NOT_FOUND = 4;
    public static final int RUNNING = 5;
    public static final int ERROR = 6;
    /** A recovery of another scenario of the plan is running, and the plan does not allow both. */
    public static final int CONFLICT = 7;

    /** The help footer's list ("code:meaning"), shared by every command. */
    static final String L0 = " 0:recovered within the RTO (status --once: also while still running)";
    static final String L1 = " 1:recovery failed; also a workflow that was terminated, cancelled or timed out";
    static final String L2 = " 2:usage error";
    static final String L3 = " 3:recovered, but the RTO was breached";
    static final String L4 = " 4:workflow not found";
    static final String L5 = " 5:still running (report)";
    static final String L6 = " 6:cannot reach Temporal, or another error";
    static final String L7 = " 7:not started: a recovery of another scenario of the plan is running (recover)";

    private ExitCodes() {
    }

    /** By the report contract, the same for every scenario. */
    public static int of(ScenarioReport report) {
        if (report.outcome() != Outcome.RECOVERED) {
            return FAILED;
        }
        return report.rtoBreached() ? RTO_BREACHED : RECOVERED;
    }
}
