package io.romadr.temporal;

import io.romadr.scenario.datacorruption.DataCorruptionRecoveryWorkflow;
import io.romadr.scenario.datacorruption.DataRecoveryRequest;
import io.romadr.scenario.gitloss.GitRecoveryRequest;
import io.romadr.scenario.gitloss.GitRecoveryWorkflow;
import io.romadr.scenario.security.SecurityIncidentRequest;
import io.romadr.scenario.security.SecurityIncidentWorkflow;
import io.romadr.scenario.servicefailure.ServiceRecoveryRequest;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.scenario.siteloss.SiteRecoveryRequest;
import io.romadr.scenario.siteloss.SiteRecoveryWorkflow;
import java.util.List;
import java.util.Optional;

/**
 * The scenarios in one list ({@link #ALL}, in the seed's order): the id starters, webhooks and drills name, the workflow type it
 * starts, and the request a start that knows nothing but the plan, who asks and why makes. The id and type constants
 * stay in each workflow interface: annotation values must be compile-time constants there.
 */
public record Scenario(String id, String type, RequestOf requestOf) {
    public static final List<Scenario> ALL = List.of(
            new Scenario(ServiceRecoveryWorkflow.SCENARIO, ServiceRecoveryWorkflow.TYPE,
                    (plan, requestedBy, reason, detectedAt) -> new ServiceRecoveryRequest(plan, reason, requestedBy,
                            detectedAt)),
            new Scenario(DataCorruptionRecoveryWorkflow.SCENARIO, DataCorruptionRecoveryWorkflow.TYPE,
                    (plan, requestedBy, reason, detectedAt) -> new DataRecoveryRequest(plan, requestedBy, reason,
                            detectedAt)),
            new Scenario(SiteRecoveryWorkflow.SCENARIO, SiteRecoveryWorkflow.TYPE,
                    (plan, requestedBy, reason, detectedAt) -> new SiteRecoveryRequest(plan, null, requestedBy, reason,
                            false, null, detectedAt)),
            new Scenario(GitRecoveryWorkflow.SCENARIO, GitRecoveryWorkflow.TYPE,
                    (plan, requestedBy, reason, detectedAt) -> new GitRecoveryRequest(plan, requestedBy, List.of(),
                            List.of(), detectedAt)),
            new Scenario(SecurityIncidentWorkflow.SCENARIO, SecurityIncidentWorkflow.TYPE,
                    (plan, requestedBy, reason, detectedAt) -> new SecurityIncidentRequest(plan, requestedBy, reason,
                            List.of(), null, null, detectedAt)));

    /** Makes a scenario's request from the plan, who asks, why and when the incident was detected (may be null). */
    public interface RequestOf {
        Object of(String plan, String requestedBy, String reason, String detectedAt);
    }

    /** The scenario's request with nothing but the plan, who asks and why; its RTO counts from the request. */
    public Object request(String plan, String requestedBy, String reason) {
        return request(plan, requestedBy, reason, null);
    }

    /**
     * The scenario's request with nothing but the plan, who asks, why and when the incident was detected (RFC 3339,
     * null if not known): what a webhook can say. Its RTO counts from the detection when earlier than the request.
     */
    public Object request(String plan, String requestedBy, String reason, String detectedAt) {
        return requestOf.of(plan, requestedBy, reason, detectedAt);
    }

    public static Optional<Scenario> byId(String id) {
        return ALL.stream().filter(s -> s.id.equals(id)).findFirst();
    }
}
