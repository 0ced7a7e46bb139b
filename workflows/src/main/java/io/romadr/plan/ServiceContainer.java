package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One service of the compose project. The template is only used when the container is gone altogether: a container
 * that still exists is recreated from its own recorded configuration.
 */
public record ServiceContainer(@JsonProperty(required = true) String service, ContainerTemplate template) {
    public ServiceContainer {
        InvalidFieldException.requireText(service, "service");
    }
}
