package io.romadr.scenario.siteloss;

/**
 * Provision the server for {@code target}; {@code workflowId} and {@code step} make the idempotency key (EC2
 * ClientToken and tag; container label), so a retried or re-run step finds the server it made before.
 */
public record ProvisionRequest(SiteTarget target, String workflowId, String step) {
}
