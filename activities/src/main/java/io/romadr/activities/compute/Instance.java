package io.romadr.activities.compute;

import java.util.Map;

/** An EC2 instance as roma-dr sees it. {@code state} is the EC2 state name ("pending", "running", ...). IPs may be null. */
public record Instance(String id, String state, String privateIp, String publicIp, Map<String, String> tags) {
    public Instance {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public boolean isRunning() {
        return "running".equals(state);
    }

    /** Terminated, or on its way there: it will never run again. */
    public boolean isGone() {
        return "terminated".equals(state) || "shutting-down".equals(state);
    }
}
