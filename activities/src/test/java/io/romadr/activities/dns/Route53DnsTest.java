package io.romadr.activities.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.aws.MotoServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/** {@link Route53Dns} against a real moto server; what it did is checked with the plain Route53 API. */
@org.junit.jupiter.api.Tag("integration")
class Route53DnsTest {
    private static MotoServer moto;
    private static Route53Client route53;

    private String zoneName;
    private String zoneId;
    private String host;
    private Route53Dns dns;
    private final AtomicInteger heartbeats = new AtomicInteger();

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
        route53 = Route53Dns.client(moto.endpoint(), Region.of(MotoServer.REGION), moto.credentials());
    }

    @AfterAll
    static void stopMoto() throws Exception {
        if (route53 != null) {
            route53.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void freshZone() {
        zoneName = "z" + UUID.randomUUID().toString().substring(0, 8) + ".example.com.";
        String id = route53.createHostedZone(r -> r.name(zoneName).callerReference(UUID.randomUUID().toString()))
                .hostedZone().id();
        zoneId = id.replace("/hostedzone/", "");
        host = "app." + zoneName;
        dns = new Route53Dns(route53, Duration.ofSeconds(10), Duration.ofMillis(100));
    }

    @Test
    void upsertCreatesTheRecordAndWaitsForInSync() {
        DnsChange change = dns.upsert(zoneName, a("192.0.2.10"), "run-1", heartbeats::incrementAndGet);

        assertTrue(change.changed());
        assertNull(change.previous());
        assertNotNull(change.changeId());
        assertEquals(ChangeStatus.INSYNC, route53.getChange(r -> r.id(change.changeId())).changeInfo().status());
        assertEquals(List.of("192.0.2.10"), listedValues(host, "A"));
        assertTrue(heartbeats.get() > 0, "heartbeat while waiting for the change");
        assertEquals(a("192.0.2.10"), dns.current(zoneName, "APP." + zoneName.replaceAll("\\.$", ""), "a"));
    }

    @Test
    void upsertOfTheSameValueChangesNothing() {
        dns.upsert(zoneId, a("192.0.2.10"), "run-1", heartbeats::incrementAndGet);

        DnsChange again = dns.upsert(zoneId, a("192.0.2.10"), "run-1-retry", heartbeats::incrementAndGet);

        assertFalse(again.changed());
        assertNull(again.changeId());
        assertEquals(a("192.0.2.10"), again.previous());
        assertEquals(List.of("192.0.2.10"), listedValues(host, "A"));
    }

    @Test
    void upsertOfANewValueReturnsThePreviousAndRestorePutsItBack() {
        dns.upsert(zoneName, a("192.0.2.10"), "before", heartbeats::incrementAndGet);

        DnsChange change = dns.upsert(zoneName, a("198.51.100.7"), "failover", heartbeats::incrementAndGet);

        assertTrue(change.changed());
        assertEquals(a("192.0.2.10"), change.previous());
        assertEquals(List.of("198.51.100.7"), listedValues(host, "A"));

        DnsChange restored = dns.restore(zoneName, change.previous(), host, "A", "compensate",
                heartbeats::incrementAndGet);

        assertTrue(restored.changed());
        assertEquals(a("198.51.100.7"), restored.previous());
        assertEquals(List.of("192.0.2.10"), listedValues(host, "A"));
        assertFalse(dns.restore(zoneName, change.previous(), host, "A", "again", heartbeats::incrementAndGet)
                .changed(), "a second restore is a no-op");
    }

    @Test
    void restoreWithoutAPreviousRecordDeletesIt() {
        DnsChange change = dns.upsert(zoneName, a("192.0.2.10"), "failover", heartbeats::incrementAndGet);

        DnsChange restored = dns.restore(zoneName, change.previous(), host, "A", "compensate",
                heartbeats::incrementAndGet);

        assertTrue(restored.changed());
        assertNotNull(restored.changeId());
        assertEquals(List.of(), listedValues(host, "A"));
        assertNull(dns.current(zoneName, host, "A"));
        assertFalse(dns.restore(zoneName, null, host, "A", "again", heartbeats::incrementAndGet).changed());
    }

    @Test
    void errorsNameTheZoneAndRecord() {
        IllegalArgumentException noZone = assertThrows(IllegalArgumentException.class,
                () -> dns.upsert("missing.example.org", new DnsRecord("a.missing.example.org", "A", 60,
                        List.of("192.0.2.1")), "x", () -> {
                        }));
        assertTrue(noZone.getMessage().contains("missing.example.org."), noZone.getMessage());

        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> dns.upsert(zoneName, new DnsRecord("other.example.net", "A", 60, List.of("192.0.2.1")), "x",
                        () -> {
                        }));
        assertTrue(outside.getMessage().contains("other.example.net.")
                && outside.getMessage().contains(zoneName), outside.getMessage());

        // A server-side refusal: the message carries what was asked, where, and Route53's reason.
        IllegalStateException unknownId = assertThrows(IllegalStateException.class,
                () -> dns.upsert("ZNOSUCHZONE42", a("192.0.2.1"), "x", () -> {
                }));
        assertTrue(unknownId.getMessage().contains(host) && unknownId.getMessage().contains("ZNOSUCHZONE42")
                && unknownId.getMessage().contains("NoSuchHostedZone"), unknownId.getMessage());
        assertFalse(unknownId.getMessage().contains(moto.environment().get("AWS_SECRET_ACCESS_KEY")));
    }

    private DnsRecord a(String address) {
        return new DnsRecord(host, "A", 60, List.of(address));
    }

    /** The values Route53 lists for name/type, straight from the API. */
    private List<String> listedValues(String name, String type) {
        return route53.listResourceRecordSetsPaginator(r -> r.hostedZoneId(zoneId)).resourceRecordSets().stream()
                .filter(s -> s.name().equalsIgnoreCase(name) && s.typeAsString().equals(type))
                .map(ResourceRecordSet::resourceRecords)
                .flatMap(List::stream)
                .map(ResourceRecord::value)
                .toList();
    }
}
