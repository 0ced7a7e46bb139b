package io.romadr.activities.dns;

import io.romadr.activities.aws.AwsClients;
import io.romadr.activities.poll.Deadline;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.Route53Exception;

/**
 * {@link DnsProvider} on AWS Route53. A zone is given by hosted zone id ({@code Z123...} or
 * {@code /hostedzone/Z123...}) or by name ({@code example.com}, must match exactly one hosted zone). A change is
 * an UPSERT (or DELETE for a restore to "no record"), made only when the record differs, then polled with
 * {@code GetChange} until {@code INSYNC} within {@code syncDeadline}.
 */
public final class Route53Dns implements DnsProvider {
    /** Route53 rejects change comments longer than this. */
    private static final int MAX_COMMENT = 256;

    private final Route53Client route53;
    private final Duration syncDeadline;
    private final Duration pollInterval;

    public Route53Dns(Route53Client route53, Duration syncDeadline, Duration pollInterval) {
        this.route53 = Objects.requireNonNull(route53, "route53");
        this.syncDeadline = Objects.requireNonNull(syncDeadline, "syncDeadline");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    }

    /** A client for {@code endpoint} (null for the real AWS endpoint), e.g. a moto server in tests. */
    public static Route53Client client(URI endpoint, Region region, AwsCredentialsProvider credentials) {
        return AwsClients.build(Route53Client.builder(), region.id(), endpoint == null ? null : endpoint.toString(),
                credentials);
    }

    @Override
    public DnsRecord current(String zone, String name, String type) {
        String zoneId = zoneId(zone);
        return current(zone, zoneId, DnsRecord.DnsNames.fqdn(name), DnsRecord.DnsNames.type(type));
    }

    @Override
    public DnsChange upsert(String zone, DnsRecord record, String idempotencyNote, Runnable heartbeat) {
        Objects.requireNonNull(record, "record");
        requireInZone(zone, record.name());
        String zoneId = zoneId(zone);
        DnsRecord previous = current(zone, zoneId, record.name(), record.type());
        if (record.sameAs(previous)) {
            return DnsChange.unchanged(previous);
        }
        String changeId = change(zone, zoneId, ChangeAction.UPSERT, record, idempotencyNote, heartbeat);
        return new DnsChange(previous, changeId, true);
    }

    @Override
    public DnsChange delete(String zone, String name, String type, String idempotencyNote, Runnable heartbeat) {
        String fqdn = DnsRecord.DnsNames.fqdn(name);
        String rrType = DnsRecord.DnsNames.type(type);
        requireInZone(zone, fqdn);
        String zoneId = zoneId(zone);
        DnsRecord existing = current(zone, zoneId, fqdn, rrType);
        if (existing == null) {
            return DnsChange.unchanged(null);
        }
        // Route53 deletes only on an exact match, so the DELETE names the record exactly as it is now.
        String changeId = change(zone, zoneId, ChangeAction.DELETE, existing, idempotencyNote, heartbeat);
        return new DnsChange(existing, changeId, true);
    }

    private DnsRecord current(String zone, String zoneId, String fqdn, String type) {
        List<ResourceRecordSet> sets;
        try {
            sets = route53.listResourceRecordSets(r -> r.hostedZoneId(zoneId)
                    .startRecordName(fqdn).startRecordType(type).maxItems("1")).resourceRecordSets();
        } catch (Route53Exception e) {
            throw failure("reading " + fqdn + " " + type + " in zone " + zone, e);
        }
        // The listing starts at name/type but returns the next record set when that one is absent.
        for (ResourceRecordSet set : sets) {
            if (DnsRecord.DnsNames.fqdn(set.name()).equals(fqdn) && set.typeAsString().equals(type)) {
                if (set.aliasTarget() != null || set.setIdentifier() != null) {
                    throw new IllegalStateException(fqdn + " " + type + " in zone " + zone
                            + " is an alias or routing-policy record set, which this provider does not manage");
                }
                List<String> values = set.resourceRecords().stream().map(ResourceRecord::value).toList();
                return new DnsRecord(set.name(), type, set.ttl() == null ? 0 : set.ttl(), values);
            }
        }
        return null;
    }

    private String change(String zone, String zoneId, ChangeAction action, DnsRecord record, String note,
            Runnable heartbeat) {
        ResourceRecordSet set = ResourceRecordSet.builder()
                .name(record.name()).type(record.type()).ttl(record.ttl())
                .resourceRecords(record.values().stream().map(v -> ResourceRecord.builder().value(v).build()).toList())
                .build();
        String what = action + " " + record.name() + " " + record.type() + " in zone " + zone;
        ChangeInfo info;
        try {
            info = route53.changeResourceRecordSets(r -> r.hostedZoneId(zoneId).changeBatch(b -> b
                    .comment(comment(note))
                    .changes(Change.builder().action(action).resourceRecordSet(set).build()))).changeInfo();
        } catch (Route53Exception e) {
            throw failure(what, e);
        }
        awaitInSync(what, info, heartbeat);
        return info.id();
    }

    /** Polls GetChange until INSYNC; Route53 usually takes seconds, the deadline bounds a stuck change. */
    private void awaitInSync(String what, ChangeInfo info, Runnable heartbeat) {
        Deadline deadline = Deadline.after(syncDeadline);
        ChangeStatus status = info.status();
        while (status != ChangeStatus.INSYNC) {
            heartbeat.run();
            if (deadline.passed()) {
                throw new IllegalStateException(what + ": change " + info.id() + " still " + status + " after "
                        + syncDeadline.toSeconds() + " s");
            }
            try {
                Deadline.pause(pollInterval);
            } catch (InterruptedIOException e) {
                throw new IllegalStateException(what + ": interrupted waiting for change " + info.id(), e);
            }
            try {
                status = route53.getChange(r -> r.id(info.id())).changeInfo().status();
            } catch (Route53Exception e) {
                throw failure(what + ": reading change " + info.id(), e);
            }
        }
        heartbeat.run();
    }

    private String zoneId(String zone) {
        Objects.requireNonNull(zone, "zone");
        String z = zone.trim();
        if (z.startsWith("/hostedzone/")) {
            return z.substring("/hostedzone/".length());
        }
        if (!z.contains(".")) {
            return z;
        }
        String fqdn = DnsRecord.DnsNames.fqdn(z);
        List<HostedZone> matches;
        try {
            matches = route53.listHostedZonesByName(r -> r.dnsName(fqdn)).hostedZones().stream()
                    .filter(h -> DnsRecord.DnsNames.fqdn(h.name()).equals(fqdn)).toList();
        } catch (Route53Exception e) {
            throw failure("looking up hosted zone " + fqdn, e);
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("no Route53 hosted zone named " + fqdn);
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException(matches.size() + " Route53 hosted zones are named " + fqdn
                    + " (public and private?); give the hosted zone id instead");
        }
        String id = matches.get(0).id();
        return id.startsWith("/hostedzone/") ? id.substring("/hostedzone/".length()) : id;
    }

    private static void requireInZone(String zone, String fqdn) {
        // Only a zone name can be checked here; an id is checked by Route53 itself.
        if (zone.contains(".") && !zone.trim().startsWith("/") && !DnsRecord.DnsNames.inZone(fqdn, zone)) {
            throw new IllegalArgumentException(fqdn + " is not in zone " + DnsRecord.DnsNames.fqdn(zone));
        }
    }

    private static String comment(String note) {
        if (note == null) {
            return null;
        }
        return note.length() <= MAX_COMMENT ? note : note.substring(0, MAX_COMMENT);
    }

    private static IllegalStateException failure(String what, Route53Exception e) {
        String reason = e.awsErrorDetails() != null
                ? e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage()
                : e.getMessage();
        return new IllegalStateException("Route53 " + what + " failed: " + reason + " (HTTP " + e.statusCode() + ")",
                e);
    }
}
