package io.romadr.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * How roma-dr reaches one contact. Each value names a target in the worker's {@code notifications:} configuration
 * (which holds the URL or key), except e-mail, which lists addresses.
 *
 * @param alertmanager an Alertmanager by name ("default"); the alert is labelled with the contact, so
 *                     Alertmanager's routing tree decides who is woken
 * @param pagerduty    a PagerDuty service by name (its routing key is in the worker's configuration)
 * @param slack        a Slack incoming webhook by name
 * @param email        addresses
 * @param webhook      a generic signed webhook by name
 */
public record ContactChannels(String alertmanager, String pagerduty, String slack, List<String> email,
        String webhook) {

    public static final ContactChannels NONE = new ContactChannels(null, null, null, null, null);

    public ContactChannels {
        email = email == null ? List.of() : List.copyOf(email);
    }

    /** The contact's channels with their targets, by channel id (alertmanager, pagerduty, slack, email, webhook). */
    public List<Target> targets() {
        List<Target> all = new ArrayList<>();
        add(all, "alertmanager", alertmanager);
        add(all, "pagerduty", pagerduty);
        add(all, "slack", slack);
        email.forEach(address -> add(all, "email", address));
        add(all, "webhook", webhook);
        return all;
    }

    private static void add(List<Target> all, String channel, String target) {
        if (target != null && !target.isBlank()) {
            all.add(new Target(channel, target));
        }
    }

    /** One channel of a contact and what it sends to. */
    public record Target(String channel, String target) {
    }
}
