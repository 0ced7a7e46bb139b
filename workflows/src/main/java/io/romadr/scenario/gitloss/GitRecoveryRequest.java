package io.romadr.scenario.gitloss;

import io.romadr.runtime.PlanInput;
import java.util.List;

/**
 * Input of Scenario 4: {@code {"plan":"roma"}} from the Web UI. {@code knownGood}: commit ids an acceptable history
 * must contain (e.g. the team's last known commits, "git log -1" on developer machines); {@code bundles}: paths on
 * the worker of {@code git bundle create --all} files to consider as candidates too. {@code detectedAt}: when the
 * incident was detected, RFC 3339; the RTO clock counts from it when earlier than the request (null: from the
 * request).
 */
public record GitRecoveryRequest(String plan, String requestedBy, List<String> knownGood, List<String> bundles,
        String detectedAt)
        implements
            PlanInput {
    public GitRecoveryRequest {
        requestedBy = requestedBy == null ? "" : requestedBy;
        knownGood = knownGood == null ? List.of() : List.copyOf(knownGood);
        bundles = bundles == null ? List.of() : List.copyOf(bundles);
    }

    /** Counted from the request (no detection time). */
    public GitRecoveryRequest(String plan, String requestedBy, List<String> knownGood, List<String> bundles) {
        this(plan, requestedBy, knownGood, bundles, null);
    }
}
