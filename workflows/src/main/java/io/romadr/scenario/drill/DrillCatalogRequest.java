package io.romadr.scenario.drill;

import io.romadr.runtime.PlanInput;

/** The stored drill reports of {@code plan}. */
public record DrillCatalogRequest(String plan) implements PlanInput {
}
