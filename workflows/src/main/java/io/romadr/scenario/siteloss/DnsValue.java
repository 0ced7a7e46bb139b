package io.romadr.scenario.siteloss;

import java.util.List;

/** One DNS record set as the workflow records it (name fully qualified). */
public record DnsValue(String name, String type, long ttl, List<String> values) {
    public DnsValue {
        values = List.copyOf(values);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + ttl + " " + String.join(",", values);
    }
}
