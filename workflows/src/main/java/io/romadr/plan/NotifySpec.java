package io.romadr.plan;

import java.util.List;

/**
 * Which events go to which contacts (plan {@code notify:}). Escalation is routes on the later events: e.g. the
 * on-call on {@code recovery-started}, the engineering lead on {@code rto-80}, the CTO on {@code rto-breached}.
 */
public record NotifySpec(List<NotifyRoute> routes) {
    public static final NotifySpec NONE = new NotifySpec(null);

    public NotifySpec {
        routes = routes == null ? List.of() : List.copyOf(routes);
    }
}
