package io.romadr.scenario.siteloss;

import io.romadr.plan.SiteSpec;

/** Which plan, which provider, the plan's site section and the server (null before provisioning). */
public record SiteTarget(String plan, String provider, SiteSpec site, SiteServer server) {
    public SiteTarget withServer(SiteServer s) {
        return new SiteTarget(plan, provider, site, s);
    }
}
