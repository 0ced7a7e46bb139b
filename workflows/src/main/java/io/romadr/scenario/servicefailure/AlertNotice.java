package io.romadr.scenario.servicefailure;

/**
 * An alert about a running recovery, sent as a signal (e.g. Alertmanager says the alert resolved). Recorded in
 * the timeline; it does not stop the recovery, which still verifies and watches for itself.
 *
 * @param source      who sent it, e.g. "alertmanager"
 * @param fingerprint the alert's fingerprint
 * @param status      "resolved" or "firing"
 * @param at          when the source says it happened (as the source wrote it, e.g. RFC 3339)
 * @param summary     one line for the timeline
 */
public record AlertNotice(String source, String fingerprint, String status, String at, String summary) {
}
