package io.romadr.activities.compute;

import java.util.List;
import java.util.Map;

/**
 * What server to launch. {@code keyName}, {@code subnetId} and {@code userData} may be null; {@code userData} is plain
 * text (it is base64-encoded on the way out) and may hold secrets, so it is never logged or put in an error.
 * {@code tags} are extra tags; the {@code roma-dr:} prefix is reserved for the tags {@link Ec2Compute} sets itself.
 */
public record ProvisionSpec(String imageId, String instanceType, String keyName, List<String> securityGroupIds,
        String subnetId, String userData, Map<String, String> tags) {
    public ProvisionSpec {
        if (imageId == null || imageId.isBlank()) {
            throw new IllegalArgumentException("imageId is required");
        }
        if (instanceType == null || instanceType.isBlank()) {
            throw new IllegalArgumentException("instanceType is required");
        }
        securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        for (String key : tags.keySet()) {
            if (key.startsWith(LaunchKey.TAG_PREFIX)) {
                throw new IllegalArgumentException("tag \"" + key + "\" uses the reserved prefix "
                        + LaunchKey.TAG_PREFIX);
            }
        }
    }

    /** Deliberately leaves out userData, which may carry secrets. */
    @Override
    public String toString() {
        return "ProvisionSpec[imageId=" + imageId + ", instanceType=" + instanceType + ", keyName=" + keyName
                + ", securityGroupIds=" + securityGroupIds + ", subnetId=" + subnetId + ", userData="
                + (userData == null ? "none" : "(" + userData.length() + " chars)") + ", tags=" + tags + "]";
    }
}
