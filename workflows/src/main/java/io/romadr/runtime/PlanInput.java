package io.romadr.runtime;

/** A workflow input: every roma-dr workflow acts on one plan, named by its file in the plans directory. */
public interface PlanInput {
    String plan();

    /** Who or what started the run, where the input says (the records' own accessor). */
    default String requestedBy() {
        return "";
    }

    /**
     * When the incident was detected (RFC 3339), where the input says: a recovery's RTO clock counts from it when it
     * is earlier than the request ({@link IncidentClock}). Null when not known.
     */
    default String detectedAt() {
        return null;
    }
}
