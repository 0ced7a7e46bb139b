package io.romadr.activities.notify;

import io.romadr.notify.ChannelType;
import io.romadr.notify.Delivery;

/**
 * One notification channel. {@link #send} either delivers (returning what the channel answered, for the report;
 * never a credential) or throws: {@link UnknownTargetException} when the worker has no configuration for the target
 * (not retried), anything else when the channel is down or refused (retried by the workflow's bounded policy).
 */
public interface Channel {
    ChannelType type();

    /** @param link the run's Temporal Web UI page ("" when no webUiUrl is configured) */
    String send(Delivery delivery, String link) throws Exception;
}
