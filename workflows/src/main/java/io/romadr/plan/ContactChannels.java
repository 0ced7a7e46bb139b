package io.romadr.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How roma-dr reaches one contact. Each value names a target in the worker's {@code notifications:} configuration
 * (which holds the URL or key), except e-mail, which lists addresses. A URL or key pasted here is refused: the plan
 * is recorded in every workflow's history and shown by the Web UI.
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

    static final Pattern TARGET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    /** A plain address: one '@', no spaces, no display name ("Ops <ops@x>") and no list (",", ";"). */
    static final Pattern ADDRESS = Pattern
            .compile("[^\\s@<>()\\[\\],;:\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
    /** A 20+ character run of letters and digits with a digit in it: a key (PagerDuty's are 32), not a name. */
    private static final Pattern KEY_LIKE = Pattern.compile("(?=[A-Za-z0-9]*[0-9])(?=[A-Za-z0-9]*[A-Za-z])"
            + "[A-Za-z0-9]{20,}");
    /** Why a value is refused; never the value itself, which may be a credential. */
    static final String NOT_HERE = "credentials and URLs belong in the worker's notifications: configuration, "
            + "not in the plan (the plan is recorded in workflow history)";

    public ContactChannels {
        requireTarget(alertmanager, "alertmanager");
        requireTarget(pagerduty, "pagerduty");
        requireTarget(slack, "slack");
        requireTarget(webhook, "webhook");
        email = email == null ? List.of() : List.copyOf(email);
        for (int i = 0; i < email.size(); i++) {
            String address = email.get(i);
            InvalidFieldException.require(address != null && ADDRESS.matcher(address).matches(), "email[" + i + "]",
                    "must be a plain e-mail address such as oncall-sre@company.com (one '@', no spaces, no display "
                            + "name)");
        }
    }

    private static void requireTarget(String target, String channel) {
        if (target == null) {
            return;
        }
        InvalidFieldException.require(TARGET.matcher(target).matches(), channel,
                "must be the name of one of the worker's " + channel + " targets (letters, digits, '.', '_' or '-',"
                        + " at most 63); " + NOT_HERE);
        InvalidFieldException.require(isName(target), channel,
                "looks like a key, not the name of a " + channel + " target; " + NOT_HERE);
    }

    /** True when {@code value} has the shape of a name and not of a key. */
    static boolean isName(String value) {
        if (value == null || !TARGET.matcher(value).matches()) {
            return false;
        }
        for (String part : value.split("[._-]")) {
            if (KEY_LIKE.matcher(part).matches()) {
                return false;
            }
        }
        return true;
    }

    /** True for a plan path inside a contact's channels, where a refused secret gets {@link #NOT_HERE}'s advice. */
    static boolean isTargetPath(String path) {
        return path.matches("contacts\\[\\d+]\\.channels\\..*");
    }

    /** The contact's channels with their targets, in {@link NotifyNames#CHANNELS} order. */
    public List<Target> targets() {
        List<Target> all = new ArrayList<>();
        add(all, "alertmanager", alertmanager);
        add(all, "pagerduty", pagerduty);
        add(all, "slack", slack);
        email.forEach(address -> add(all, "email", address));
        add(all, "webhook", webhook);
        return all;
    }

    /** The channel ids this contact can be reached through. */
    public List<String> channelIds() {
        return targets().stream().map(Target::channel).distinct().toList();
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
