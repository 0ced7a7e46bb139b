package io.romadr.plan;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.List;

/**
 * The plan's {@code security:} section, for the security-incident scenario (seed: "Security breach - impact critical
 * - RTO immediate"). {@code contain}: how the affected containers are contained, {@code stop} (default) or
 * {@code disconnect} from their networks. {@code containWithin}: the seed's "immediate" as a target, from detection
 * to contained (default 15m). {@code rto}: the whole incident, up to the fresh secrets backup (default 2h).
 * {@code approvalTimeout}: how long each of the two approvals waits (default 30m). {@code evidenceLogBytes}: the last
 * bytes of each container's log kept as evidence (default 16 MiB). {@code rotate}: the commands that rotate what is
 * not in Vault or Secrets Manager (registry and git credentials); {@code contacts}: the contact ids told about the
 * incident (every event of this scenario).
 */
public record SecuritySpec(
        String contain,
        @JsonDeserialize(using = DurationDeserializer.class) Duration containWithin,
        @JsonDeserialize(using = DurationDeserializer.class) Duration rto,
        @JsonDeserialize(using = DurationDeserializer.class) Duration approvalTimeout,
        Long evidenceLogBytes,
        List<CommandStep> rotate,
        List<String> contacts) {

    public static final String STOP = "stop";
    public static final String DISCONNECT = "disconnect";
    public static final List<String> CONTAIN_MODES = List.of(STOP, DISCONNECT);
    /** A plan without {@code security:}: every default. */
    public static final SecuritySpec DEFAULTS = new SecuritySpec(null, null, null, null, null, null, null);

    public SecuritySpec {
        contain = contain == null ? STOP : contain;
        InvalidFieldException.require(CONTAIN_MODES.contains(contain), "contain",
                "must be one of " + CONTAIN_MODES + ", got \"" + contain + "\"");
        containWithin = containWithin == null ? Duration.ofMinutes(15) : containWithin;
        rto = rto == null ? Duration.ofHours(2) : rto;
        approvalTimeout = approvalTimeout == null ? Duration.ofMinutes(30) : approvalTimeout;
        InvalidFieldException.require(!containWithin.isZero() && !containWithin.isNegative(), "containWithin",
                "must be longer than zero, e.g. 15m");
        InvalidFieldException.require(!rto.isZero() && !rto.isNegative(), "rto", "must be longer than zero, e.g. 2h");
        InvalidFieldException.require(rto.compareTo(containWithin) >= 0, "rto",
                "must not be shorter than containWithin (" + Durations.format(containWithin) + ")");
        InvalidFieldException.require(!approvalTimeout.isZero() && !approvalTimeout.isNegative(), "approvalTimeout",
                "must be longer than zero, e.g. 30m");
        evidenceLogBytes = evidenceLogBytes == null ? 16L << 20 : evidenceLogBytes;
        InvalidFieldException.require(evidenceLogBytes >= 0 && evidenceLogBytes <= 1L << 30, "evidenceLogBytes",
                "must be between 0 and 1073741824 (1 GiB)");
        rotate = rotate == null ? List.of() : List.copyOf(rotate);
        contacts = contacts == null ? List.of() : List.copyOf(contacts);
    }
}
