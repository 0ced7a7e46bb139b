package io.romadr.scenario.servicefailure;

/** One health or smoke check's outcome, with the evidence (status code, exit code, error). */
public record CheckResult(String name, boolean ok, String detail) {
}
