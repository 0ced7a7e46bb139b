package io.romadr.activities.dns;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One DNS record set: a name, a type, a TTL in seconds and its values. The name is kept fully qualified (lower case,
 * trailing dot) and the type upper case, so records from a provider and from a plan compare equal.
 */
public record DnsRecord(String name, String type, long ttl, List<String> values) {
    public DnsRecord {
        name = DnsNames.fqdn(name);
        type = DnsNames.type(type);
        if (ttl < 0) {
            throw new IllegalArgumentException("negative TTL " + ttl + " for " + name + " " + type);
        }
        Objects.requireNonNull(values, "values");
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values for " + name + " " + type);
        }
        values = List.copyOf(values);
    }

    /** True when the record already says the same: same TTL and the same values in any order (DNS has no order). */
    public boolean sameAs(DnsRecord other) {
        return other != null && name.equals(other.name) && type.equals(other.type) && ttl == other.ttl
                && new HashSet<>(values).equals(new HashSet<>(other.values));
    }

    @Override
    public String toString() {
        return name + " " + type + " " + ttl + " " + String.join(",", values);
    }

    /** Name and type normalisation shared by the providers. */
    static final class DnsNames {
        private DnsNames() {
        }

        static String fqdn(String name) {
            Objects.requireNonNull(name, "name");
            String n = name.trim().toLowerCase(Locale.ROOT);
            if (n.isEmpty() || n.equals(".")) {
                throw new IllegalArgumentException("empty DNS name");
            }
            return n.endsWith(".") ? n : n + ".";
        }

        static String type(String type) {
            Objects.requireNonNull(type, "type");
            String t = type.trim().toUpperCase(Locale.ROOT);
            if (t.isEmpty()) {
                throw new IllegalArgumentException("empty DNS record type");
            }
            return t;
        }

        /** True when {@code name} is the zone apex or below it. */
        static boolean inZone(String name, String zone) {
            String n = fqdn(name);
            String z = fqdn(zone);
            return n.equals(z) || n.endsWith("." + z);
        }
    }
}
