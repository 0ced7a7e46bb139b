package io.romadr.activities.dns;

/**
 * What an upsert or restore did: the record as it was before ({@code null} when there was none), the provider's
 * change id ({@code null} when nothing changed) and whether anything changed. The previous record is what
 * compensation hands back to {@link DnsProvider#restore}.
 */
public record DnsChange(DnsRecord previous, String changeId, boolean changed) {
    static DnsChange unchanged(DnsRecord previous) {
        return new DnsChange(previous, null, false);
    }
}
