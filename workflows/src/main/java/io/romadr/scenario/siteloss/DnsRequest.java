package io.romadr.scenario.siteloss;

import io.romadr.plan.SiteSpec;

/**
 * The plan's DNS record. For an update {@code values} is what it must say; for a restore {@code previous} is what
 * it said before (null: there was no record, so it is deleted). {@code note} names the run in the provider's change
 * comment. Both are idempotent: what already holds is left alone.
 */
public record DnsRequest(SiteSpec.SiteDns dns, java.util.List<String> values, DnsValue previous, String note) {
    public DnsRequest {
        values = values == null ? java.util.List.of() : java.util.List.copyOf(values);
    }
}
