package io.romadr.notify;

/**
 * What one delivery did, for the run's timeline and report ("sre-oncall paged via PagerDuty at 00:01").
 *
 * @param to       the recipient
 * @param sentAt   wall-clock time the channel accepted it (epoch millis)
 * @param attempt  the activity attempt that delivered it
 * @param detail   what the channel answered ("202, dedup_key roma-...", "250 OK"); never a credential
 */
public record DeliveryResult(Recipient to, long sentAt, int attempt, String detail) {
    public DeliveryResult {
        detail = detail == null ? "" : detail;
    }
}
