package io.romadr.scenario.siteloss;

import io.romadr.scenario.servicefailure.HealthRequest;

/** Health and smoke checks against the new server; {@code {address}} in an HTTP check's URL is its address. */
public record SiteHealthRequest(SiteTarget target, HealthRequest checks) {
}
