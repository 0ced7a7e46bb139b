package io.romadr.scenario.servicefailure;

/** What an acting step did; {@code changed} is false when the target state already held (idempotent re-run). */
public record ActionResult(boolean changed, String detail, int attempt) {
}
