package io.romadr.scenario.security;

import io.romadr.plan.NotifyRoute;
import io.romadr.plan.NotifySpec;
import io.romadr.plan.RecoveryPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan's {@code security.contacts} as one more notify route (this scenario's events to them, through every channel
 * they have), so the one notifier and {@code NotifyRoutes} reach them like any other route. Pure.
 */
final class SecurityContacts {
    private SecurityContacts() {
    }

    static RecoveryPlan routed(RecoveryPlan plan, String scenario, List<String> events) {
        List<String> contacts = plan.security().contacts();
        if (contacts.isEmpty()) {
            return plan;
        }
        List<NotifyRoute> routes = new ArrayList<>(plan.notifications().routes());
        routes.add(new NotifyRoute(events, contacts, List.of(), List.of(scenario)));
        return new RecoveryPlan(plan.name(), plan.description(), plan.service(), plan.rto(), plan.rpo(),
                plan.recovery(), plan.backup(), plan.site(), plan.contacts(), new NotifySpec(routes), plan.drills(),
                plan.regions(), plan.security());
    }
}
