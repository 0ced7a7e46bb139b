package io.romadr.notify;

/** One notice to one recipient: the input of {@link NotificationActivities#deliver}. */
public record Delivery(Notice notice, Recipient to) {
}
