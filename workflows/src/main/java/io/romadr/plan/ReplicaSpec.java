package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The plan's {@code backup.replica:}: a second backup store, in another region, that every object-store backup
 * (state, artifacts, secrets) is copied to right after it is written, so a region outage leaves a copy to restore
 * from (see docs/regions.md). The copy is the stored bytes (secrets stay encrypted) and is digest-checked.
 */
public record ReplicaSpec(@JsonProperty(required = true) BackupStore store) {

    public ReplicaSpec {
        InvalidFieldException.require(store != null, "store", "is required");
    }
}
