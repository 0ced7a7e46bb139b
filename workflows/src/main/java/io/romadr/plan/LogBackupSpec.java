package io.romadr.plan;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.List;

/**
 * Production logs (seed: P1): the container logs of {@code services} (all the plan's services when empty) shipped
 * into the backup store every {@code backup.schedule.logs} as compressed, checksummed, time-ranged objects
 * ({@code logs/<plan>/<service>/<from>_<to>.log.gz}). Objects whose range ended more than {@code retention} ago
 * (default 30 days) are deleted by the shipping run. The first run ever ships at most {@code backfill} (default 7
 * days) back from its cut-off: what the containers still hold of it.
 */
public record LogBackupSpec(
        List<String> services,
        @JsonDeserialize(using = DurationDeserializer.class) Duration retention,
        @JsonDeserialize(using = DurationDeserializer.class) Duration backfill) {

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    public static final Duration DEFAULT_BACKFILL = Duration.ofDays(7);

    public LogBackupSpec {
        services = services == null ? List.of() : List.copyOf(services);
        retention = retention == null ? DEFAULT_RETENTION : retention;
        backfill = backfill == null ? DEFAULT_BACKFILL : backfill;
        InvalidFieldException.require(retention.compareTo(Duration.ofHours(1)) >= 0, "retention",
                "must be at least 1h");
        InvalidFieldException.require(backfill.compareTo(Duration.ofMinutes(1)) >= 0, "backfill",
                "must be at least 1m");
    }

    /** Every service of the plan, defaults for the rest. */
    public LogBackupSpec(List<String> services) {
        this(services, null, null);
    }
}
