package io.romadr.activities.notify;

import io.romadr.notify.ChannelType;
import io.romadr.notify.Delivery;
import io.romadr.notify.DeliveryResult;
import io.romadr.notify.NotificationActivities;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Delivers each notice through the channel its recipient names; see {@link NotificationActivities}. */
public final class ChannelNotificationActivities implements NotificationActivities {
    /** The failure type of a delivery to a target the worker is not configured for (not retried). */
    public static final String UNKNOWN_TARGET = "UnknownNotificationTarget";

    private final NotificationSettings settings;
    private final Map<ChannelType, Channel> channels = new EnumMap<>(ChannelType.class);

    public ChannelNotificationActivities(NotificationSettings settings, List<Channel> channels) {
        this.settings = settings;
        channels.forEach(c -> this.channels.put(c.type(), c));
    }

    @Override
    public DeliveryResult deliver(Delivery delivery) {
        var info = Activity.getExecutionContext().getInfo();
        Channel channel = channels.get(delivery.to().channel());
        try {
            if (channel == null) {
                throw new UnknownTargetException("this worker has no " + delivery.to().channel().id()
                        + " channel configured");
            }
            String detail = channel.send(delivery, link(info.getNamespace(), delivery.notice().workflowId()));
            return new DeliveryResult(delivery.to(), System.currentTimeMillis(), info.getAttempt(), detail);
        } catch (UnknownTargetException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), UNKNOWN_TARGET);
        } catch (Exception e) {
            // No cause: a client library's exception may quote a URL with a token in it; channels word their
            // messages without credentials.
            throw ApplicationFailure.newFailure(delivery.to().describe() + ": " + e.getMessage(),
                    e.getClass().getSimpleName());
        }
    }

    /** The run's page in the Temporal Web UI, or "" when no base URL is configured. */
    String link(String namespace, String workflowId) {
        if (settings.webUiUrl().isEmpty() || workflowId.isEmpty()) {
            return "";
        }
        return settings.webUiUrl() + "/namespaces/" + URLEncoder.encode(namespace, StandardCharsets.UTF_8)
                + "/workflows/" + URLEncoder.encode(workflowId, StandardCharsets.UTF_8);
    }
}
