package io.romadr.notify;

import io.romadr.plan.ContactChannels;
import io.romadr.plan.ContactSpec;
import io.romadr.plan.NotifyRoute;
import io.romadr.plan.RecoveryPlan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Who hears about an event: the plan's routes applied to its contacts. Pure, so workflows may call it. */
public final class NotifyRoutes {
    private NotifyRoutes() {
    }

    /**
     * Every (contact, channel, target) the plan's routes send {@code event} of {@code scenario} to, in route order,
     * then the route's {@code to} order, then the contact's channel order. Each target hears the event once: a
     * contact reached by two routes, or two contacts sharing a Slack channel, a PagerDuty service, a webhook or an
     * address, get one message (the first contact is named). Alertmanager is the exception: its alerts carry the
     * contact as a label, so each contact is one alert that Alertmanager routes on its own.
     *
     * @param scenario the scenario id or backup kind of the run; empty matches only routes without {@code scenarios}
     */
    public static List<Recipient> recipients(RecoveryPlan plan, NotifyEvent event, String scenario) {
        List<Recipient> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (NotifyRoute route : plan.notifications().routes()) {
            if (!route.events().contains(event.id())
                    || !(route.scenarios().isEmpty() || route.scenarios().contains(scenario))) {
                continue;
            }
            for (String id : route.to()) {
                ContactSpec contact = contact(plan, id);
                if (contact == null) {
                    continue; // the loader refuses such a plan; a recorded one must not fail a recovery
                }
                for (ContactChannels.Target t : contact.channels().targets()) {
                    ChannelType channel = ChannelType.byId(t.channel()).orElseThrow();
                    if (!route.via().isEmpty() && !route.via().contains(channel.id())) {
                        continue;
                    }
                    String identity = channel.id() + "\n" + t.target()
                            + (channel == ChannelType.ALERTMANAGER ? "\n" + contact.id() : "");
                    if (seen.add(identity)) {
                        all.add(new Recipient(contact.id(), contact.role(), contact.name(), channel, t.target()));
                    }
                }
            }
        }
        return all;
    }

    private static ContactSpec contact(RecoveryPlan plan, String id) {
        return plan.contacts().stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }
}
