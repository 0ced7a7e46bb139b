package io.romadr.activities.notify;

import java.util.List;
import java.util.Map;

/** The notification activity with every channel roma-dr has, configured from the worker's settings. */
public final class NotificationChannels {
    private NotificationChannels() {
    }

    /**
     * Every channel, reading credentials from {@code environment} (and files) when a notice is sent; a worker with
     * no {@code notifications:} configuration still registers it, so a plan's route to an unconfigured target fails
     * its delivery at once (reported on the run's timeline) instead of waiting in the task queue.
     */
    public static ChannelNotificationActivities production(NotificationSettings settings,
            Map<String, String> environment) {
        return new ChannelNotificationActivities(settings, List.of(new AlertmanagerChannel(settings, environment),
                new PagerDutyChannel(settings, environment), new SlackChannel(settings, environment),
                new EmailChannel(settings, environment), new WebhookChannel(settings, environment)));
    }
}
