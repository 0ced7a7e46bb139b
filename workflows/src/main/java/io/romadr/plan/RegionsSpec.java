package io.romadr.plan;

/**
 * The plan's {@code regions:}: where the service normally runs ({@code primary}) and the region it fails over to
 * when the primary region is lost ({@code failover}); workers in each region poll that region's task queue
 * ({@code roma-dr-<region>}). See docs/regions.md.
 */
public record RegionsSpec(String primary, String failover) {

    public RegionsSpec {
        InvalidFieldException.requireText(primary, "primary");
        InvalidFieldException.requireText(failover, "failover");
        InvalidFieldException.require(!primary.equals(failover), "failover",
                "must differ from primary (" + primary + ")");
    }
}
