package io.romadr.activities.compute;

import java.io.IOException;

/** The instance id is unknown to EC2 (never existed, or terminated long enough ago to be forgotten). */
public final class InstanceNotFoundException extends IOException {
    public InstanceNotFoundException(String message) {
        super(message);
    }
}
