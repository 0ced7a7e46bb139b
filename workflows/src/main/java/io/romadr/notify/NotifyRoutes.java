package io.romadr.notify;

import io.romadr.plan.ContactChannels;
import io.romadr.plan.ContactSpec;
import io.romadr.plan.NotifyRoute;
import io.romadr.plan.RecoveryPlan;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Who hears about an event: the plan's routes applied to its contacts. Pure, so workflows may call it. */
public final class NotifyRoutes {
    private NotifyRoutes() {
    }

    /**
     * Every (contact, channel, target) the plan's routes send {@code event} of {@code scenario} to, each once, in
     * route order.
     */
    public static List<Recipient> recipients(RecoveryPlan plan, NotifyEvent event, String scenario) {
        Set<Recipient> all = new LinkedHashSet<>();
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
                    if (route.via().isEmpty() || route.via().contains(channel.id())) {
                        all.add(new Recipient(contact.id(), contact.role(), contact.name(), channel, t.target()));
                    }
                }
            }
        }
        return new ArrayList<>(all);
    }

    private static ContactSpec contact(RecoveryPlan plan, String id) {
        return plan.contacts().stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }
}
