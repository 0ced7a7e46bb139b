package io.romadr.activities.compute;

import java.util.List;
import java.util.Map;

/**
 * What server to make. {@code image} is an AMI id (aws) or a Docker image reference that exists on the engine
 * (docker); {@code instanceType}, {@code keyName}, {@code securityGroupIds}, {@code subnetId} and {@code userData}
 * apply to aws only and may be null. {@code userData} may hold secrets: never logged, never in an error.
 */
public record ServerSpec(String image, String instanceType, String keyName, List<String> securityGroupIds,
        String subnetId, String userData, Map<String, String> tags) {
    public ServerSpec {
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("image is required");
        }
        securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    @Override
    public String toString() {
        return "ServerSpec[image=" + image + ", instanceType=" + instanceType + ", keyName=" + keyName
                + ", securityGroupIds=" + securityGroupIds + ", subnetId=" + subnetId + ", userData="
                + (userData == null ? "none" : "(" + userData.length() + " chars)") + ", tags=" + tags + "]";
    }
}
