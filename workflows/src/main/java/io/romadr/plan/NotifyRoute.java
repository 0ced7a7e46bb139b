package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One route: these events (ids of {@link io.romadr.notify.NotifyEvent}) go to these contacts, through the channels
 * in {@code via} (ids of {@link io.romadr.notify.ChannelType}; empty: every channel the contact has), for the
 * scenarios or backup kinds in {@code scenarios} (empty: all).
 */
public record NotifyRoute(
        @JsonProperty(required = true) List<String> events,
        @JsonProperty(required = true) List<String> to,
        List<String> via,
        List<String> scenarios) {

    public NotifyRoute {
        InvalidFieldException.require(events != null && !events.isEmpty(), "events",
                "must list at least one event, e.g. [recovery-started, failed]");
        InvalidFieldException.require(to != null && !to.isEmpty(), "to",
                "must list at least one contact id, e.g. [sre-oncall]");
        events = List.copyOf(events);
        to = List.copyOf(to);
        via = via == null ? List.of() : List.copyOf(via);
        scenarios = scenarios == null ? List.of() : List.copyOf(scenarios);
    }
}
