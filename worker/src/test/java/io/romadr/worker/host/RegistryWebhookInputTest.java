package io.romadr.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile and unusual registry notifications against the real host over HTTP: the token and the content types, every
 * field of an event with every kind of JSON value (answered 200 {@code ignored} or 4xx naming the field, never 5xx),
 * and the events the registry sends that are no reason to back up. Only repositories of no plan are named here, so
 * nothing is signalled: the end-to-end test ({@code RegistryEventsEndToEndTest}) covers that on real registries.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RegistryWebhookInputTest {
    static final String TOKEN = "registry-token-" + UUID.randomUUID();
    static final String EVENTS_TYPE = "application/vnd.docker.distribution.events.v1+json";
    static final DropwizardAppExtension<RomaDrConfiguration> APP = new DropwizardAppExtension<>(HostFakes.App.class,
            ResourceHelpers.resourceFilePath("host-test.yml"),
            ConfigOverride.config("plansDir", HostFakes.plansDir().toString()),
            ConfigOverride.config("webhooks.registry.bearerTokenFile", tokenFile().toString()));

    HostClient http;

    @BeforeEach
    void connect() {
        http = new HostClient(APP.getLocalPort(), APP.getAdminPort());
    }

    private static Path tokenFile() {
        try {
            Path file = Files.createTempFile("registry-token", "");
            file.toFile().deleteOnExit();
            return Files.writeString(file, TOKEN + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HostClient.Reply post(String body, String contentType, String authorization) {
        return authorization == null
                ? http.post("/webhooks/registry", body, "Content-Type", contentType)
                : http.post("/webhooks/registry", body, "Content-Type", contentType, "Authorization", authorization);
    }

    private HostClient.Reply post(String body) {
        return post(body, EVENTS_TYPE, "Bearer " + TOKEN);
    }

    /** A tag push as the registry sends it, of a repository no plan backs up. */
    static ObjectNode push() throws IOException {
        return (ObjectNode) HostClient.JSON.readTree("""
                {"id":"ev-1","timestamp":"2026-12-07T12:00:00.123456789Z","action":"push",
                 "target":{"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
                   "digest":"sha256:%s","repository":"no-plan/app","tag":"1.4.0"},
                 "request":{"host":"registry.example.com"},"source":{"addr":"registry:5000"}}
                """.formatted("a".repeat(64)));
    }

    static String envelope(JsonNode... events) {
        ObjectNode root = HostClient.JSON.createObjectNode();
        root.putArray("events").addAll(List.of(events));
        return root.toString();
    }

    @Test
    void onlyTheBearerTokenIsAcceptedAndTheRegistrysContentType() throws Exception {
        String body = envelope(push());
        for (String authorization : new String[]{null, "Bearer wrong", "Bearer", "Basic " + TOKEN, TOKEN}) {
            HostClient.Reply r = post(body, EVENTS_TYPE, authorization);
            assertEquals(401, r.status(), authorization + " -> " + r.body());
            assertFalse(r.body().contains(TOKEN), r.body());
        }
        assertEquals(415, post(body, "text/plain", "Bearer " + TOKEN).status());
        assertEquals(415, post(body, "application/vnd.docker.distribution.manifest.v2+json", "Bearer " + TOKEN)
                .status());
        assertEquals(200, post(body, EVENTS_TYPE, "Bearer " + TOKEN).status());
        assertEquals(200, post(body, "application/json; charset=utf-8", "Bearer " + TOKEN).status());
    }

    @Test
    void eventsThatAreNoReasonToBackUpAreAnswered200IgnoredWithWhy() throws Exception {
        ObjectNode blob = push();
        ((ObjectNode) blob.get("target")).remove("tag");
        ObjectNode pull = push().put("action", "pull");
        ObjectNode delete = push().put("action", "delete");
        ObjectNode badTag = push();
        ((ObjectNode) badTag.get("target")).put("tag", "no spaces");
        HostClient.Reply r = post(envelope(push(), blob, pull, delete, badTag));
        assertEquals(200, r.status(), r.body());
        JsonNode events = r.json().get("events");
        assertEquals(5, events.size(), r.body());
        for (JsonNode e : events) {
            assertEquals("ignored", e.get("action").asText(), r.body());
        }
        assertEquals("no plan backs up no-plan/app", events.get(0).get("reason").asText());
        assertEquals("no-plan/app:1.4.0", events.get(0).get("image").asText());
        assertTrue(events.get(1).get("reason").asText().startsWith("no tag"), r.body());
        assertEquals("not a push (action pull)", events.get(2).get("reason").asText());
        assertEquals("not a push (action delete)", events.get(3).get("reason").asText());
        assertEquals("not a repository:tag", events.get(4).get("reason").asText());
        assertEquals(200, post(envelope()).status());
    }

    @Test
    void everyEventFieldWithEveryJsonValueIsTakenOrA4xxNamingItNever5xx() throws Exception {
        List<String> fields = List.of("id", "timestamp", "action", "target", "target.repository", "target.tag",
                "request");
        int requests = 0;
        for (String field : fields) {
            for (String value : WebhookInputTest.VALUES) {
                ObjectNode event = push();
                ObjectNode parent = field.startsWith("target.") ? (ObjectNode) event.get("target") : event;
                parent.set(field.substring(field.indexOf('.') + 1), WebhookInputTest.EXACT.readTree(value));
                HostClient.Reply r = post(envelope(event));
                requests++;
                String what = field + " = " + value.substring(0, Math.min(40, value.length())) + " -> " + r.status()
                        + " " + r.body().substring(0, Math.min(200, r.body().length()));
                assertTrue(r.status() == 200 || r.status() == 400, what);
                if (r.status() == 200) {
                    assertEquals("ignored", r.json().at("/events/0/action").asText(), what);
                } else {
                    assertTrue(r.json().get("field").asText().startsWith("events[0]"), what);
                }
            }
        }
        assertEquals(fields.size() * WebhookInputTest.VALUES.size(), requests);
        for (String body : List.of("{}", "{\"events\":{}}", "{\"events\":[1]}", "[]", "", "{\"events\":[]} {}")) {
            assertEquals(400, post(body).status(), body);
        }
    }
}
