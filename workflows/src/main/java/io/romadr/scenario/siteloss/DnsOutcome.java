package io.romadr.scenario.siteloss;

/** What a DNS change did: the record now, whether anything changed, the provider's change id (INSYNC when waited). */
public record DnsOutcome(DnsValue now, boolean changed, String changeId, int attempt) {
}
