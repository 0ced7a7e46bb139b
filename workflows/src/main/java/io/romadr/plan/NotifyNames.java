package io.romadr.plan;

import java.util.List;

/**
 * The ids a plan's {@code contacts:} and {@code notify:} may name. {@code plan} is the bottom package and may not
 * import {@code notify}, {@code backup} or {@code temporal}, so the ids are listed here; {@code NotifyNamesTest}
 * keeps each list equal to its source ({@code NotifyEvent}, {@code ChannelType}, {@code Scenario},
 * {@code BackupKind} and the git and image mirrors).
 */
public final class NotifyNames {
    /** {@code io.romadr.notify.NotifyEvent} ids, in its order. */
    public static final List<String> EVENTS = List.of("recovery-started", "step-escalated", "approval-pending",
            "rto-50", "rto-80", "rto-breached", "recovered", "failed", "backup-failed", "backup-stale",
            "verification-failed", "drill-upcoming", "drill-started", "drill-finished",
            "security-contained", "credentials-rotated");

    /** {@code io.romadr.notify.ChannelType} ids, in its order (also the order of a contact's targets). */
    public static final List<String> CHANNELS = List.of("alertmanager", "pagerduty", "slack", "email", "webhook");

    /** {@code io.romadr.temporal.Scenario.ALL} ids, in the seed's order. */
    public static final List<String> SCENARIOS = List.of("service-failure", "data-corruption", "site-loss",
            "git-loss", "security-incident");

    /** The scenarios a drill rehearses (the plan's {@code drills:} calendar), in the seed's order. */
    public static final List<String> DRILL_SCENARIOS = List.of("service-failure", "data-corruption", "site-loss",
            "git-loss");

    /**
     * {@code io.romadr.backup.BackupKind} ids, then the git and image mirrors (as the weekly verification names them),
     * then the shipped production logs.
     */
    public static final List<String> BACKUP_KINDS = List.of("state", "artifacts", "secrets", "git", "images",
            "logs");

    private NotifyNames() {
    }
}
