package io.romadr.plan;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;

/**
 * How often each backup runs when {@code roma-dr schedules apply} turns the plan into Temporal Schedules. The
 * defaults are the seed's: state hourly, artifacts and secrets daily, retention daily, verification weekly; git
 * mirror every 15 minutes (the seed's "continuous", RPO 0 is kept by pushing to several remotes) and images hourly
 * (RPO 1 h); the access audit quarterly (every 90 days). Event-driven backups (docs/backups.md): the secrets'
 * metadata is polled every {@code secretsPoll} (1 minute) and a change exported at once; production logs are shipped
 * every {@code logs} (1 hour).
 */
public record BackupScheduleSpec(
        @JsonDeserialize(using = DurationDeserializer.class) Duration state,
        @JsonDeserialize(using = DurationDeserializer.class) Duration artifacts,
        @JsonDeserialize(using = DurationDeserializer.class) Duration secrets,
        @JsonDeserialize(using = DurationDeserializer.class) Duration retention,
        @JsonDeserialize(using = DurationDeserializer.class) Duration verification,
        @JsonDeserialize(using = DurationDeserializer.class) Duration git,
        @JsonDeserialize(using = DurationDeserializer.class) Duration images,
        @JsonDeserialize(using = DurationDeserializer.class) Duration audit,
        @JsonDeserialize(using = DurationDeserializer.class) Duration secretsPoll,
        @JsonDeserialize(using = DurationDeserializer.class) Duration logs) {

    // Declared before SEED: the constructor reads it while SEED is initialised.
    static final Duration MIN = Duration.ofMinutes(1);
    public static final BackupScheduleSpec SEED = new BackupScheduleSpec(null, null, null, null, null, null, null,
            null, null, null);

    /** Without {@code audit:} (the seed's quarterly access audit). */
    public BackupScheduleSpec(Duration state, Duration artifacts, Duration secrets, Duration retention,
            Duration verification, Duration git, Duration images) {
        this(state, artifacts, secrets, retention, verification, git, images, null, null, null);
    }

    /** Without the event-driven intervals (secrets poll, log shipping). */
    public BackupScheduleSpec(Duration state, Duration artifacts, Duration secrets, Duration retention,
            Duration verification, Duration git, Duration images, Duration audit) {
        this(state, artifacts, secrets, retention, verification, git, images, audit, null, null);
    }

    public BackupScheduleSpec {
        state = state == null ? Duration.ofHours(1) : state;
        artifacts = artifacts == null ? Duration.ofDays(1) : artifacts;
        secrets = secrets == null ? Duration.ofDays(1) : secrets;
        retention = retention == null ? Duration.ofDays(1) : retention;
        verification = verification == null ? Duration.ofDays(7) : verification;
        git = git == null ? Duration.ofMinutes(15) : git;
        images = images == null ? Duration.ofHours(1) : images;
        audit = audit == null ? Duration.ofDays(90) : audit;
        secretsPoll = secretsPoll == null ? Duration.ofMinutes(1) : secretsPoll;
        logs = logs == null ? Duration.ofHours(1) : logs;
        InvalidFieldException.require(secretsPoll.compareTo(Duration.ofSeconds(10)) >= 0, "secretsPoll",
                "must be at least 10s");
        InvalidFieldException.require(logs.compareTo(MIN) >= 0, "logs", "must be at least 1m");
        InvalidFieldException.require(audit.compareTo(MIN) >= 0, "audit", "must be at least 1m");
        InvalidFieldException.require(git.compareTo(MIN) >= 0, "git", "must be at least 1m");
        InvalidFieldException.require(images.compareTo(MIN) >= 0, "images", "must be at least 1m");
        InvalidFieldException.require(state.compareTo(MIN) >= 0, "state", "must be at least 1m");
        InvalidFieldException.require(artifacts.compareTo(MIN) >= 0, "artifacts", "must be at least 1m");
        InvalidFieldException.require(secrets.compareTo(MIN) >= 0, "secrets", "must be at least 1m");
        InvalidFieldException.require(retention.compareTo(MIN) >= 0, "retention", "must be at least 1m");
        InvalidFieldException.require(verification.compareTo(MIN) >= 0, "verification", "must be at least 1m");
    }
}
