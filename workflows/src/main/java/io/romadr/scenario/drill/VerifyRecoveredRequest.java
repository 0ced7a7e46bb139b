package io.romadr.scenario.drill;

import io.romadr.plan.ServiceSpec;
import java.util.Map;

/**
 * What the independent check after the recovery compares.
 *
 * @param service      the plan's service: its containers and health checks
 * @param imageDigests compose service to image id before the drill ({@link DrillState#imageDigests()})
 */
public record VerifyRecoveredRequest(ServiceSpec service, Map<String, String> imageDigests) {
    public VerifyRecoveredRequest {
        imageDigests = imageDigests == null ? Map.of() : Map.copyOf(imageDigests);
    }
}
