package io.romadr.notify;

import java.util.Arrays;
import java.util.Optional;

/**
 * What roma-dr tells people about. The id is how a plan's {@code notify.routes[].events} names it; the severity is
 * what paging channels (PagerDuty, Alertmanager) are told. An event that {@link #opens()} something stays open until
 * the run resolves it (recovered, failed, approval decided, backup succeeded again).
 */
public enum NotifyEvent {
    RECOVERY_STARTED("recovery-started", Severity.CRITICAL, true), STEP_ESCALATED("step-escalated", Severity.WARNING,
            false), APPROVAL_PENDING("approval-pending", Severity.CRITICAL, true), RTO_50("rto-50", Severity.WARNING,
                    true), RTO_80("rto-80", Severity.CRITICAL, true), RTO_BREACHED("rto-breached", Severity.CRITICAL,
                            true), RECOVERED("recovered", Severity.INFO, false), FAILED("failed", Severity.CRITICAL,
                                    true), BACKUP_FAILED("backup-failed", Severity.CRITICAL, true), BACKUP_STALE(
                                            "backup-stale", Severity.WARNING,
                                            true), VERIFICATION_FAILED("verification-failed", Severity.CRITICAL,
                                                    true), DRILL_UPCOMING("drill-upcoming", Severity.INFO,
                                                            false), DRILL_STARTED("drill-started", Severity.INFO,
                                                                    false), DRILL_FINISHED("drill-finished",
                                                                            Severity.INFO, false),
    /** Security incident: the affected containers are contained and their evidence is kept. */
    SECURITY_CONTAINED("security-contained", Severity.CRITICAL, false),
    /** Security incident: the credentials were rotated (names and versions only). */
    CREDENTIALS_ROTATED("credentials-rotated", Severity.WARNING, false);

    public enum Severity {
        CRITICAL, WARNING, INFO;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String id;
    private final Severity severity;
    private final boolean opens;

    NotifyEvent(String id, Severity severity, boolean opens) {
        this.id = id;
        this.severity = severity;
        this.opens = opens;
    }

    public String id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }

    /** True when the event opens an incident or alert that a later resolution closes. */
    public boolean opens() {
        return opens;
    }

    public static Optional<NotifyEvent> byId(String id) {
        return Arrays.stream(values()).filter(e -> e.id.equals(id)).findFirst();
    }
}
