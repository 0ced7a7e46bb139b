package io.romadr.report;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Where a recovery's RTO clock starts and the parts of its time before the runbook's first step: the incident was
 * detected (an alert's {@code startsAt}, a drill's fault, an operator's {@code --detected-at}), the recovery was
 * requested (the workflow's start as the Temporal server recorded it), a worker ran its first step (the wait between
 * is the task queue's). The clock starts at the earlier of detected and requested, so a recovery that waited in a
 * queue, or an alert that fired minutes before anyone asked, counts against the RTO. Epoch milliseconds.
 *
 * @param detectedAt  when the incident was detected; null when the request gave no usable time (see {@code note})
 * @param requestedAt when the recovery was requested: the workflow's start event
 * @param firstStepAt when a worker first ran the workflow; requested to first step is the queue wait
 * @param clockStart  where the RTO clock starts: the earlier of {@code detectedAt} and {@code requestedAt}
 * @param note        why a given detection time was not used, or that it is very old; empty otherwise
 */
public record IncidentTimes(Long detectedAt, long requestedAt, long firstStepAt, long clockStart, String note) {
    /** A detection time this much before the request still counts, and the report says how old it is. */
    public static final Duration VERY_OLD = Duration.ofHours(24);
    /** How much of an unusable detection time the note quotes. */
    private static final int QUOTED = 40;

    public IncidentTimes {
        note = note == null ? "" : note;
    }

    /**
     * The times of a recovery requested at {@code requestedAt} whose first step ran at {@code firstStepAt}, detected
     * at {@code detectedAt} (RFC 3339, e.g. {@code 2026-12-07T12:00:00Z}; null or blank: not known). A detection
     * time that does not parse, or that is after the request (clock skew between the alert's source and the Temporal
     * server), is not used: the clock counts from the request and the note says why.
     */
    public static IncidentTimes of(String detectedAt, long requestedAt, long firstStepAt) {
        if (detectedAt == null || detectedAt.isBlank()) {
            return new IncidentTimes(null, requestedAt, firstStepAt, requestedAt, "");
        }
        Long detected = parse(detectedAt);
        if (detected == null) {
            return new IncidentTimes(null, requestedAt, firstStepAt, requestedAt, "detection time \""
                    + quote(detectedAt) + "\" is not an RFC 3339 time; the RTO clock counts from the request");
        }
        if (detected > requestedAt) {
            return new IncidentTimes(null, requestedAt, firstStepAt, requestedAt, "detection time "
                    + ReportFormatter.time(detected) + " is after the request at " + ReportFormatter.time(requestedAt)
                    + " (clock skew?); the RTO clock counts from the request");
        }
        String note = requestedAt - detected > VERY_OLD.toMillis()
                ? "detected " + ReportFormatter.age(requestedAt - detected) + " before the request (more than "
                        + ReportFormatter.age(VERY_OLD.toMillis()) + "); the RTO clock counts from it as given"
                : "";
        return new IncidentTimes(detected, requestedAt, firstStepAt, detected, note);
    }

    /** An RFC 3339 time in epoch milliseconds, or null when {@code text} is not one. */
    public static Long parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()
                    .toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }

    /** Request to first step: the time the recovery waited for a worker. */
    public long queueWaitMillis() {
        return firstStepAt - requestedAt;
    }

    private static String quote(String s) {
        String oneLine = s.replaceAll("\\p{Cntrl}", " ");
        return oneLine.length() > QUOTED ? oneLine.substring(0, QUOTED) + "..." : oneLine;
    }
}
