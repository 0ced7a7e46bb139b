package io.romadr.report;

import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;

/**
 * How every roma-dr workflow ends when it did not reach its goal: a FAILED execution (red in the Web UI, counted
 * in its Failures), not retried, with the run's report in the failure's details so {@code roma-dr report} and the
 * UI still show what happened. "Recovered, but the RTO was breached" is not a failure: that run completes.
 */
public final class RunFailure {
    public static final String RECOVERY_FAILED = "RecoveryFailed";
    public static final String BACKUP_FAILED = "BackupFailed";
    public static final String RESTORE_FAILED = "RestoreFailed";
    public static final String VERIFICATION_FAILED = "VerificationFailed";
    public static final String RETENTION_FAILED = "RetentionFailed";
    public static final String LIST_FAILED = "ListFailed";
    /** A drill whose target did not recover within its RTO target, verified (Success: No). */
    public static final String DRILL_FAILED = "DrillFailed";

    private RunFailure() {
    }

    /** The failure to throw from the workflow method; {@code report} may be null when there is none to carry. */
    public static ApplicationFailure of(String type, String summary, Object report) {
        return report == null
                ? ApplicationFailure.newNonRetryableFailure(summary, type)
                : ApplicationFailure.newNonRetryableFailure(summary, type, report);
    }

    /** The report a failed run carries (the other side of {@link #of}); null when it carries none of that type. */
    public static <T> T reportOf(WorkflowFailedException failed, Class<T> type) {
        if (failed.getCause() instanceof ApplicationFailure af && af.getDetails() != null) {
            try {
                return af.getDetails().get(type);
            } catch (RuntimeException notThatReport) {
                return null;
            }
        }
        return null;
    }
}
