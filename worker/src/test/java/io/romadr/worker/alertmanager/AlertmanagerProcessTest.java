package io.romadr.worker.alertmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.activities.alertmanager.AlertmanagerProcess;
import io.romadr.activities.alertmanager.AlertmanagerProcess.Auth;
import io.romadr.activities.alertmanager.AlertmanagerProcess.Config;
import io.romadr.activities.alertmanager.AlertmanagerProcess.State;
import io.romadr.worker.alertmanager.RecordingReceiver.Delivery;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The harness against a plain HTTP receiver: what a real Alertmanager 0.25 sends to a webhook, how it groups repeats
 * of one alert, and how a resolved alert arrives. The payloads seen are written to
 * {@code target/alertmanager-observed/} and compared in shape with the recorded ones under
 * {@code src/test/resources/alertmanager/} (which the webhook resource tests use as real payloads).
 */
@org.junit.jupiter.api.Tag("integration")
class AlertmanagerProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(20);
    private static final Set<String> V4_FIELDS = Set.of("receiver", "status", "alerts", "groupLabels", "commonLabels",
            "commonAnnotations", "externalURL", "version", "groupKey", "truncatedAlerts");
    private static final Set<String> ALERT_FIELDS = Set.of("status", "labels", "annotations", "startsAt", "endsAt",
            "generatorURL", "fingerprint");

    private static Map<String, String> labels(String service) {
        return Map.of("alertname", "RomaDown", "service", service, "severity", "critical");
    }

    private static Map<String, String> annotations() {
        return Map.of("summary", "ROMA is not answering its health check", "runbook", "scenario-1");
    }

    @Test
    void firingAlertArrivesAsV4PayloadWithTheBearerToken() throws IOException {
        String token = "tok-" + UUID.randomUUID();
        try (RecordingReceiver receiver = new RecordingReceiver();
                AlertmanagerProcess am = AlertmanagerProcess.start(Config.of(receiver.url(), new Auth.Bearer(token)))) {
            assertFalse(am.configYaml().contains(token), "the token is in a file, not in the config");
            Instant startsAt = am.postAlert(labels("roma"), annotations(), State.FIRING);

            Delivery d = receiver.await(x -> true, 1, DELIVERY_TIMEOUT, am).get(0);
            assertEquals("POST", d.method());
            assertEquals(RecordingReceiver.PATH, d.path());
            assertEquals("Bearer " + token, d.authorization());
            assertTrue(d.contentType().startsWith("application/json"), d.contentType());

            JsonNode p = d.json();
            assertEquals(V4_FIELDS, fieldNames(p), d.body());
            assertEquals("4", p.path("version").asText());
            assertEquals("firing", p.path("status").asText());
            assertEquals(AlertmanagerProcess.RECEIVER, p.path("receiver").asText());
            assertEquals(Map.of("alertname", "RomaDown", "service", "roma"), map(p.path("groupLabels")));
            assertEquals(labels("roma"), map(p.path("commonLabels")));
            assertEquals(annotations(), map(p.path("commonAnnotations")));
            assertEquals(am.baseUri() + "", p.path("externalURL").asText().replaceAll("/$", ""));
            assertEquals(0, p.path("truncatedAlerts").asInt());
            assertTrue(p.path("groupKey").asText().contains("alertname=\"RomaDown\""), p.path("groupKey").asText());

            assertEquals(1, p.path("alerts").size());
            JsonNode a = p.path("alerts").get(0);
            assertEquals(ALERT_FIELDS, fieldNames(a));
            assertEquals("firing", a.path("status").asText());
            assertEquals(labels("roma"), map(a.path("labels")));
            assertEquals(startsAt, Instant.parse(a.path("startsAt").asText()));
            assertEquals("0001-01-01T00:00:00Z", a.path("endsAt").asText(), "a firing alert has the zero end time");
            assertTrue(a.path("generatorURL").asText().startsWith("http://127.0.0.1/"));
            String fingerprint = a.path("fingerprint").asText();
            assertTrue(fingerprint.matches("[0-9a-f]{16}"), fingerprint);
            assertEquals(fingerprint, am.alerts().get(0).path("fingerprint").asText(),
                    "the webhook's fingerprint is the one Alertmanager's API reports");

            Path observed = record("webhook-v4-firing.json", d);
            assertSameShape("webhook-v4-firing.json", observed);
        }
    }

    @Test
    void twentyPostsOfOneAlertAreOneNotificationWithOneFingerprint() {
        try (RecordingReceiver receiver = new RecordingReceiver();
                AlertmanagerProcess am = AlertmanagerProcess.start(Config.of(receiver.url(), new Auth.Bearer("t")))) {
            for (int i = 0; i < 20; i++) {
                am.postAlert(labels("roma"), annotations(), State.FIRING);
            }
            receiver.await(x -> true, 1, DELIVERY_TIMEOUT, am);
            // Same alert again after the first notification: nothing changed, so nothing is sent before the
            // repeat_interval (1h here). Then watch several group_intervals for anything more.
            for (int i = 0; i < 5; i++) {
                am.postAlert(labels("roma"), annotations(), State.FIRING);
            }
            List<Delivery> all = receiver.observeFor(am.config().groupInterval().multipliedBy(4));
            assertEquals(1, all.size(), () -> "deliveries: " + all.stream().map(Delivery::body).toList());
            assertEquals(1, all.get(0).json().path("alerts").size());
            assertEquals(1, fingerprints(all).size());
            assertEquals(1, am.alerts().size(), "Alertmanager holds one alert for the 25 posts");
        }
    }

    @Test
    void distinctAlertsHaveDistinctFingerprintsAndGroups() {
        try (RecordingReceiver receiver = new RecordingReceiver();
                AlertmanagerProcess am = AlertmanagerProcess.start(Config.of(receiver.url(), new Auth.Bearer("t")))) {
            am.postAlert(labels("roma"), annotations(), State.FIRING);
            am.postAlert(labels("roma-api"), annotations(), State.FIRING);
            List<Delivery> all = receiver.await(x -> true, 2, DELIVERY_TIMEOUT, am);
            assertEquals(2, fingerprints(all).size(), () -> all.stream().map(Delivery::body).toList().toString());
            assertEquals(2, all.stream().map(d -> d.json().path("groupKey").asText()).distinct().count(),
                    "group_by service: one group per service");
        }
    }

    @Test
    void resolvedAlertArrivesResolvedAndAFlapKeepsTheFingerprint() throws IOException {
        try (RecordingReceiver receiver = new RecordingReceiver();
                AlertmanagerProcess am = AlertmanagerProcess.start(Config.of(receiver.url(), new Auth.Bearer("t")))) {
            am.postAlert(labels("roma"), annotations(), State.FIRING);
            String fingerprint = receiver.await(x -> true, 1, DELIVERY_TIMEOUT, am).get(0).fingerprints().get(0);

            Instant endsAt = am.postAlert(labels("roma"), annotations(), State.RESOLVED);
            Delivery resolved = receiver.await(d -> d.status().equals("resolved"), 1, DELIVERY_TIMEOUT, am).stream()
                    .filter(d -> d.status().equals("resolved")).findFirst().orElseThrow();
            assertEquals(V4_FIELDS, fieldNames(resolved.json()));
            JsonNode a = resolved.json().path("alerts").get(0);
            assertEquals("resolved", a.path("status").asText());
            assertEquals(fingerprint, a.path("fingerprint").asText());
            assertEquals(endsAt, Instant.parse(a.path("endsAt").asText()));
            Path observed = record("webhook-v4-resolved.json", resolved);
            assertSameShape("webhook-v4-resolved.json", observed);

            // Flap: it fires again. A new instance (new startsAt) of the same labels: same fingerprint.
            am.postAlert(labels("roma"), annotations(), State.FIRING);
            List<Delivery> all = receiver.await(d -> d.status().equals("firing"), 2, DELIVERY_TIMEOUT, am);
            List<String> statuses = all.stream().map(Delivery::status).toList();
            assertEquals(List.of("firing", "resolved", "firing"), statuses);
            assertEquals(Set.of(fingerprint), fingerprints(all));
        }
    }

    @Test
    void anUnchangedFiringGroupIsSentAgainAfterTheRepeatInterval() {
        try (RecordingReceiver receiver = new RecordingReceiver();
                AlertmanagerProcess am = AlertmanagerProcess.start(Config.of(receiver.url(), new Auth.Bearer("t"))
                        .withRepeatInterval(Duration.ofSeconds(2)))) {
            am.postAlert(labels("roma"), annotations(), State.FIRING);
            List<Delivery> all = receiver.await(x -> true, 3, DELIVERY_TIMEOUT, am);
            // What the webhook must deduplicate: the same group, the same alert, sent again and again.
            assertEquals(1, fingerprints(all).size());
            assertEquals(1, all.stream().map(d -> d.json().path("groupKey").asText()).distinct().count());
            assertTrue(all.stream().allMatch(d -> d.status().equals("firing")));
            assertEquals(1, all.stream().map(d -> d.json().path("alerts").get(0).path("startsAt").asText())
                    .distinct().count());
        }
    }

    @Test
    void basicAuthCredentialsComeFromThePasswordFile() {
        try (RecordingReceiver receiver = new RecordingReceiver();
                AlertmanagerProcess am = AlertmanagerProcess.start(Config.of(receiver.url(),
                        new Auth.Basic("alertmanager", "s3cret:with-colon")))) {
            assertFalse(am.configYaml().contains("s3cret"));
            am.postAlert(labels("roma"), annotations(), State.FIRING);
            Delivery d = receiver.await(x -> true, 1, DELIVERY_TIMEOUT, am).get(0);
            assertEquals("Basic " + Base64.getEncoder().encodeToString(
                    "alertmanager:s3cret:with-colon".getBytes(StandardCharsets.UTF_8)), d.authorization());
        }
    }

    @Test
    void theShippedReceiverExamplePassesAmtoolCheckConfig() throws Exception {
        Path example = Path.of("..", "deploy", "alertmanager.yml").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(example), example + " missing");
        Path amtool = Path.of(AlertmanagerProcess.binary()).resolveSibling("amtool");
        assertTrue(Files.isExecutable(amtool), amtool + " missing (Debian package prometheus-alertmanager)");
        Process p = new ProcessBuilder(amtool.toString(), "check-config", example.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "amtool check-config hung");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("SUCCESS"), out);
    }

    @Test
    void durationsUseAlertmanagersSyntax() {
        assertEquals("1s", AlertmanagerProcess.duration(Duration.ofSeconds(1)));
        assertEquals("250ms", AlertmanagerProcess.duration(Duration.ofMillis(250)));
        assertEquals("3600s", AlertmanagerProcess.duration(Duration.ofHours(1)));
        assertEquals("0s", AlertmanagerProcess.duration(Duration.ZERO));
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static Set<String> fingerprints(List<Delivery> deliveries) {
        Set<String> f = new LinkedHashSet<>();
        deliveries.forEach(d -> f.addAll(d.fingerprints()));
        return f;
    }

    private static Set<String> fieldNames(JsonNode n) {
        Set<String> s = new TreeSet<>();
        n.fieldNames().forEachRemaining(s::add);
        return s;
    }

    private static Map<String, String> map(JsonNode n) {
        return JSON.convertValue(n, JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
    }

    /** Writes the observed payload (pretty) to target/alertmanager-observed/, to refresh the recorded resources. */
    private static Path record(String name, Delivery d) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "alertmanager-observed"));
        Path f = dir.resolve(name);
        Files.writeString(f, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(d.json()) + "\n");
        return f;
    }

    /** The recorded resource has the same structure (field names, value types, array sizes) as what was observed. */
    private static void assertSameShape(String resource, Path observed) throws IOException {
        JsonNode recorded;
        try (InputStream in = AlertmanagerProcessTest.class.getResourceAsStream("/alertmanager/" + resource)) {
            assertTrue(in != null, "missing test resource alertmanager/" + resource + " (copy it from " + observed
                    + ")");
            recorded = JSON.readTree(in);
        }
        assertEquals(shape(JSON.readTree(observed.toFile())), shape(recorded),
                "recorded alertmanager/" + resource + " differs in shape from " + observed);
    }

    private static String shape(JsonNode n) {
        if (n.isObject()) {
            StringBuilder b = new StringBuilder("{");
            new TreeSet<String>() {
                {
                    n.fieldNames().forEachRemaining(this::add);
                }
            }
                    .forEach(k -> b.append(k).append(':').append(shape(n.get(k))).append(','));
            return b.append('}').toString();
        }
        if (n.isArray()) {
            StringBuilder b = new StringBuilder("[");
            n.forEach(e -> b.append(shape(e)).append(','));
            return b.append(']').toString();
        }
        return n.getNodeType().toString();
    }
}
