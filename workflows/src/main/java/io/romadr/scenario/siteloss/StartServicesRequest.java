package io.romadr.scenario.siteloss;

import io.romadr.plan.ServiceSpec;
import java.util.Map;

/**
 * Start the plan's services on the server from their templates, with the images in {@code images} (template image ->
 * reference), the env file's variables, and mounts under {@code /srv} on the server. Running ones are left alone.
 */
public record StartServicesRequest(SiteTarget target, ServiceSpec service, Map<String, String> images,
        String registry) {
    public StartServicesRequest {
        images = Map.copyOf(images);
    }
}
