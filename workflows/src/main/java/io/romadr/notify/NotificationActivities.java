package io.romadr.notify;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Sends notices through the channels the worker is configured for. Each call is one notice to one recipient, so a
 * retry resends only that one; channels that deduplicate ({@link ChannelType#deduplicates()}) get the notice's key,
 * the others at most one more copy after a worker crash. A channel that is down fails the call (retried by the
 * caller's bounded policy); a recipient the worker has no configuration for fails it without retry.
 */
@ActivityInterface
public interface NotificationActivities {
    @ActivityMethod(name = "Notify")
    DeliveryResult deliver(Delivery delivery);
}
