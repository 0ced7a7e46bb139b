package io.romadr.activities.site;

import io.romadr.activities.compute.ComputeProvider;
import io.romadr.plan.SiteSpec;

/** Opens the compute provider a recovery asked for ("docker" or "aws"); the caller closes it. */
@FunctionalInterface
public interface ComputeProviders {
    ComputeProvider open(String provider, SiteSpec site);
}
