package io.romadr.scenario.security;

import io.romadr.plan.BackupStore;
import java.util.List;

/**
 * Keep the evidence of {@code containers} in {@code store} under {@code evidence/<plan>/<incidentId>/}: per container
 * its file system diff, the last {@code logBytes} of its log, its inspect document and its image's digests; then the
 * manifest, last.
 */
public record EvidenceRequest(BackupStore store, String plan, String incidentId, List<IncidentContainer> containers,
        long logBytes) {
    public EvidenceRequest {
        containers = List.copyOf(containers);
    }
}
