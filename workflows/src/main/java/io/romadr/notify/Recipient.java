package io.romadr.notify;

/**
 * One contact reached through one channel.
 *
 * @param contact the plan's contact id ("sre-oncall")
 * @param role    the contact's role ("SRE on-call rotation")
 * @param name    the contact's name
 * @param channel the channel
 * @param target  what the channel sends to: an e-mail address, or the name of a PagerDuty service, Slack webhook,
 *                generic webhook or Alertmanager in the worker's configuration (never a credential or URL)
 */
public record Recipient(String contact, String role, String name, ChannelType channel, String target) {
    public Recipient {
        contact = contact == null ? "" : contact;
        role = role == null ? "" : role;
        name = name == null ? "" : name;
        target = target == null ? "" : target;
    }

    /** "sre-oncall via pagerduty:sre-oncall". */
    public String describe() {
        return contact + " via " + channel.id() + (target.isEmpty() ? "" : ":" + target);
    }
}
