package io.romadr.activities.dns;

/**
 * A place DNS records live (Route53, a local zone file). All operations are idempotent so an activity retry is
 * safe: an upsert of what is already there changes nothing, a restore of what is already there changes nothing.
 */
public interface DnsProvider {
    /** The record set {@code name}/{@code type} in {@code zone}, or {@code null} when there is none. */
    DnsRecord current(String zone, String name, String type);

    /**
     * Makes {@code record} the record set in {@code zone}, only if it differs from what is there, and returns once
     * the change is in effect. {@code idempotencyNote} is recorded with the change where the provider can (e.g. the
     * Route53 change comment) to tell which run made it; {@code heartbeat} is called while waiting.
     */
    DnsChange upsert(String zone, DnsRecord record, String idempotencyNote, Runnable heartbeat);

    /**
     * Compensation: puts {@code previous} back, or deletes {@code name}/{@code type} when {@code previous} is
     * {@code null} (there was no record before). A no-op when that is already the state.
     */
    default DnsChange restore(String zone, DnsRecord previous, String name, String type, String idempotencyNote,
            Runnable heartbeat) {
        return previous != null
                ? upsert(zone, previous, idempotencyNote, heartbeat)
                : delete(zone, name, type, idempotencyNote, heartbeat);
    }

    /** Deletes the record set {@code name}/{@code type} in {@code zone}; a no-op when there is none. */
    DnsChange delete(String zone, String name, String type, String idempotencyNote, Runnable heartbeat);
}
