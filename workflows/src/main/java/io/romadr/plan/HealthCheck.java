package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A health or smoke check: exactly one of an HTTP probe or a command run inside one of the service's containers. */
public record HealthCheck(@JsonProperty(required = true) String name, HttpCheck http, ExecCheck exec) {
    public HealthCheck {
        InvalidFieldException.requireText(name, "name");
        InvalidFieldException.require((http == null) != (exec == null), "http",
                "check \"" + name + "\" must have exactly one of http or exec");
    }
}
