package io.romadr.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile webhook input against the real host over HTTP: every field of both webhooks' bodies with every kind of
 * JSON value is either taken or answered 4xx naming the field, never 5xx; a bad alert does not stop the others; the
 * cap on alerts per payload; the HMAC timestamp's extreme values; replays inside the window.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class WebhookInputTest {
    static final DropwizardAppExtension<RomaDrConfiguration> APP = new DropwizardAppExtension<>(HostFakes.App.class,
            ResourceHelpers.resourceFilePath("host-test.yml"),
            ConfigOverride.config("plansDir", HostFakes.plansDir().toString()));

    /** Every kind of JSON value, as JSON text. */
    static final List<String> VALUES = List.of("null", "true", "false", "0", "-1", "1.5", "-0.0", "1e309",
            "123456789012345678901234567890", "\"\"", "\" \"", "\"x\"", "\"firing\"", "\"resolved\"", "\"4\"",
            "\"" + "y".repeat(1500) + "\"", "\"\\u0000\\n\"", "[]", "[1]", "[null]", "{}", "{\"a\":1}",
            "{\"a\":null}", "{\"a\":\"b\"}", "{\"a\":{}}");

    /** Keeps 1e309 and long fractions as written (Jackson's default would make 1e309 Infinity, not JSON). */
    static final com.fasterxml.jackson.databind.ObjectMapper EXACT = new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

    HostClient http;

    @BeforeEach
    void connect() {
        HostFakes.hold();
        http = new HostClient(APP.getLocalPort(), APP.getAdminPort());
    }

    @AfterEach
    void release() throws InterruptedException {
        HostFakes.release();
        for (String plan : List.of("roma", "slow", "late")) {
            String id = "roma-dr-service-failure-" + plan;
            eventually(() -> running(id) ? null : true);
        }
    }

    // ---- Alertmanager: every field x every JSON value --------------------------------------------------------

    /** Which values a field takes; anything else must be a 4xx naming it. */
    record Field(String path, Predicate<JsonNode> takes) {
    }

    static final Predicate<JsonNode> OPTIONAL_TEXT = v -> v.isNull() || v.isTextual() && v.textValue().length() <= 4096;
    static final Predicate<JsonNode> OPTIONAL_STRINGS = v -> v.isNull() || v.isObject() && allText(v);

    static final List<Field> ALERTMANAGER_FIELDS = List.of(
            new Field("version", v -> v.isTextual() && v.textValue().equals("4")),
            new Field("groupKey", OPTIONAL_TEXT),
            new Field("truncatedAlerts", v -> v.isNull() || v.isIntegralNumber() && v.canConvertToLong()
                    && v.longValue() >= 0),
            new Field("status", OPTIONAL_TEXT),
            new Field("receiver", OPTIONAL_TEXT),
            new Field("groupLabels", OPTIONAL_STRINGS),
            new Field("commonLabels", OPTIONAL_STRINGS),
            new Field("commonAnnotations", OPTIONAL_STRINGS),
            new Field("externalURL", OPTIONAL_TEXT),
            new Field("alerts", v -> v.isArray() && v.isEmpty()),
            new Field("alerts[0]", v -> false),
            new Field("alerts[0].status", v -> v.isTextual() && v.textValue().matches("firing|resolved")),
            new Field("alerts[0].labels", v -> v.isObject() && allText(v)),
            new Field("alerts[0].labels.alertname", v -> v.isNull() || v.isTextual()),
            new Field("alerts[0].annotations", OPTIONAL_STRINGS),
            new Field("alerts[0].annotations.summary", v -> v.isNull() || v.isTextual()),
            new Field("alerts[0].startsAt", OPTIONAL_TEXT),
            new Field("alerts[0].endsAt", OPTIONAL_TEXT),
            new Field("alerts[0].generatorURL", OPTIONAL_TEXT),
            new Field("alerts[0].fingerprint", v -> v.isTextual() && v.textValue().matches("[A-Za-z0-9._-]{1,128}")));

    @Test
    void everyAlertmanagerFieldWithEveryJsonValueIsTakenOrA4xxNamingItNever5xx() throws Exception {
        int requests = 0;
        for (Field field : ALERTMANAGER_FIELDS) {
            for (String value : VALUES) {
                JsonNode v = EXACT.readTree(value);
                ObjectNode payload = alertmanagerPayload();
                set(payload, field.path(), v);
                HostClient.Reply r = http.alertmanager(payload.toString());
                requests++;
                String what = field.path() + " = " + abbreviate(value) + " -> " + r.status() + " "
                        + abbreviate(r.body());
                assertTrue(r.status() < 500, what);
                if (field.takes().test(v)) {
                    assertEquals(200, r.status(), what);
                    continue;
                }
                assertTrue(r.status() >= 400, what);
                JsonNode answer = r.json();
                assertTrue(answer.get("field").asText().startsWith(field.path()), what);
                if (field.path().startsWith("alerts[0]")) {
                    // The bad alert is refused alone: the one after it was still handled, and both are reported.
                    JsonNode alerts = answer.at("/details/alerts");
                    assertEquals(2, alerts.size(), what);
                    assertEquals("invalid", alerts.get(0).get("action").asText(), what);
                    assertEquals("ignored", alerts.get(1).get("action").asText(), what);
                }
            }
        }
        assertEquals(ALERTMANAGER_FIELDS.size() * VALUES.size(), requests);
    }

    @Test
    void aBadAlertDoesNotStopTheOthersWhichStartTheirRecoveries() throws Exception {
        ArrayNode alerts = HostClient.JSON.createArrayNode();
        alerts.add(HostClient.JSON.valueToTree(HostClient.alert("firing", "aaaa", Map.of("alertname", "RomaDown",
                "service", "roma"))));
        ObjectNode nullLabels = HostClient.JSON.valueToTree(HostClient.alert("firing", "bbbb", Map.of()));
        nullLabels.putNull("labels");
        alerts.add(nullLabels);
        ObjectNode nullAnnotations = HostClient.JSON.valueToTree(HostClient.alert("firing", "cccc",
                Map.of("alertname", "SlowRoma")));
        nullAnnotations.putNull("annotations");
        alerts.add(nullAnnotations);
        ObjectNode payload = alertmanagerPayload();
        payload.set("alerts", alerts);
        HostClient.Reply r = http.alertmanager(payload.toString());
        assertEquals(400, r.status(), r.body());
        assertEquals("alerts[1].labels", r.json().get("field").asText(), r.body());
        JsonNode results = r.json().at("/details/alerts");
        assertEquals("started", results.get(0).get("action").asText(), r.body());
        assertEquals("roma-dr-service-failure-roma", results.get(0).get("workflowId").asText(), r.body());
        assertEquals("invalid", results.get(1).get("action").asText(), r.body());
        assertEquals("started", results.get(2).get("action").asText(), r.body());
        assertEquals("roma-dr-service-failure-slow", results.get(2).get("workflowId").asText(), r.body());
        ServiceRecoveryReport report = client().newUntypedWorkflowStub("roma-dr-service-failure-roma")
                .getResult(30, TimeUnit.SECONDS, ServiceRecoveryReport.class);
        assertEquals("RomaDown: ROMA is down", report.reason());
    }

    @Test
    void moreAlertsThanTheCapIs413AndStartsNothing() {
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (int i = 0; i < 41; i++) {
            alerts.add(Map.of("status", "firing", "labels", Map.of("alertname", "SlowRoma"), "fingerprint", "f" + i));
        }
        Instant before = Instant.now();
        HostClient.Reply r = http.alertmanager(HostClient.payload("firing", alerts));
        assertEquals(413, r.status(), r.body());
        assertEquals("alerts", r.json().get("field").asText(), r.body());
        assertTrue(r.json().get("message").asText().contains("at most 40"), r.body());
        assertFalse(startedSince("roma-dr-service-failure-slow", before));

        r = http.alertmanager(HostClient.payload("firing", alerts.subList(0, 40)));
        assertEquals(200, r.status(), r.body());
        JsonNode results = r.json().get("alerts");
        assertEquals(40, results.size());
        // Deduplicated within the payload: one recovery, the first alert started it, the others attached.
        assertEquals("started", results.get(0).get("action").asText(), r.body());
        for (int i = 1; i < 40; i++) {
            assertEquals("attached", results.get(i).get("action").asText(), r.body());
            assertEquals("roma-dr-service-failure-slow", results.get(i).get("workflowId").asText(), r.body());
        }
    }

    @Test
    void malformedBodiesAre400WithoutAnyFieldTaken() {
        List<String> bodies = List.of("{\"version\":\"4\",\"version\":\"4\",\"alerts\":[]}", // duplicate key
                "[".repeat(2000) + "]".repeat(2000), // nesting past Jackson's limit
                "{\"version\":\"4\",\"truncatedAlerts\":" + "9".repeat(2000) + ",\"alerts\":[]}", // number
                "{\"version\":\"4\",\"alerts\":[]} {}", "null", "\"4\"", "[]", "", "{", "\uFEFF{}");
        for (String body : bodies) {
            HostClient.Reply r = http.alertmanager(body);
            assertEquals(400, r.status(), abbreviate(body) + " -> " + r.body());
            HostClient.Reply signed = http.recover(body);
            assertEquals(400, signed.status(), abbreviate(body) + " -> " + signed.body());
        }
    }

    // ---- the generic webhook ---------------------------------------------------------------------------------

    static final List<Field> RECOVER_FIELDS = List.of(
            new Field("plan", v -> v.isTextual() && !v.textValue().isBlank() && v.textValue().length() <= 4096),
            new Field("scenario", v -> false), // none of the values is a scenario
            new Field("reason", v -> v.isNull() || v.isTextual() && v.textValue().length() <= 1000),
            new Field("dedupeKey",
                    v -> v.isNull() || v.isTextual() && v.textValue().matches("[A-Za-z0-9._:-]{1,128}")));

    @Test
    void everyRecoverFieldWithEveryJsonValueIsTakenOrA4xxNamingItNever5xx() throws Exception {
        for (Field field : RECOVER_FIELDS) {
            for (String value : VALUES) {
                JsonNode v = EXACT.readTree(value);
                // An unknown plan: a body whose fields are all taken ends in 422 naming the plan, starting nothing.
                ObjectNode body = HostClient.JSON.createObjectNode().put("plan", "nosuchplan")
                        .put("scenario", "service-failure").put("reason", "r").put("dedupeKey", "k");
                body.set(field.path(), v);
                HostClient.Reply r = http.recover(body.toString());
                String what = field.path() + " = " + abbreviate(value) + " -> " + r.status() + " "
                        + abbreviate(r.body());
                assertTrue(r.status() >= 400 && r.status() < 500, what);
                String named = r.json().get("field").asText();
                if (field.takes().test(v)) {
                    assertEquals(422, r.status(), what);
                    assertEquals("plan", named, what);
                } else {
                    assertEquals(field.path(), named, what);
                }
            }
        }
    }

    @Test
    void extremeOrMalformedTimestampsAreRefusedEvenWhenSignedOverThem() {
        String body = "{\"plan\":\"roma\",\"scenario\":\"service-failure\"}";
        Instant before = Instant.now();
        long now = before.getEpochSecond();
        for (String ts : List.of(Long.toString(Long.MAX_VALUE), Long.toString(Long.MIN_VALUE), "-1", "-" + now,
                "+" + now, "99999999999999999999999999", "9".repeat(5000), "1e10", "0x10", "0", now + ".5", now + "0",
                "1 2", "", " ", Long.toString(now - 400), Long.toString(now + 400))) {
            HostClient.Reply r = http.recover(body, ts);
            assertEquals(401, r.status(), ts + " -> " + r.body());
            assertTrue(r.json().get("message").asText().contains("X-Roma-Timestamp"), r.body());
        }
        assertFalse(startedSince("roma-dr-service-failure-roma", before));
    }

    @Test
    void aSignedRequestReplayedInsideTheWindowStartsNothingNew() throws Exception {
        String body = "{\"plan\":\"slow\",\"scenario\":\"service-failure\",\"reason\":\"replay me\"}";
        String ts = Long.toString(Instant.now().getEpochSecond());
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<HostClient.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            replies.add(pool.submit(() -> http.recover(body, ts)));
        }
        List<Integer> codes = new ArrayList<>();
        for (Future<HostClient.Reply> f : replies) {
            codes.add(f.get().status());
        }
        pool.shutdown();
        assertEquals(1, codes.stream().filter(c -> c == 200).count(), codes.toString());
        assertEquals(9, codes.stream().filter(c -> c == 409).count(), codes.toString());

        String id = "roma-dr-service-failure-slow";
        String firstRun = describe(id).getExecution().getRunId();
        HostFakes.release();
        client().newUntypedWorkflowStub(id).getResult(30, TimeUnit.SECONDS, ServiceRecoveryReport.class);
        HostClient.Reply replay = http.recover(body, ts); // the recovery is over: a replay would start a new one
        assertEquals(409, replay.status(), replay.body());
        assertEquals("replayed", replay.json().get("outcome").asText(), replay.body());
        assertEquals(firstRun, describe(id).getExecution().getRunId());
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** A valid payload whose first alert is the one fields are set in, and a second valid one after it. */
    static ObjectNode alertmanagerPayload() {
        List<Map<String, Object>> alerts = List.of(
                HostClient.alert("firing", "f0", Map.of("alertname", "NoRouteForThis")),
                HostClient.alert("firing", "f1", Map.of("alertname", "NoRouteForThisEither")));
        return (ObjectNode) HostClient.JSON.valueToTree(HostClient.JSON.convertValue(
                Map.of("version", "4", "groupKey", "{}", "truncatedAlerts", 0, "status", "firing",
                        "receiver", "roma-dr", "groupLabels", Map.of(), "commonLabels", Map.of(),
                        "commonAnnotations", Map.of(), "externalURL", "http://127.0.0.1:9093", "alerts", alerts),
                Map.class));
    }

    /** Sets {@code path} ({@code a}, {@code alerts[0]}, {@code alerts[0].labels.x}) in the payload. */
    static void set(ObjectNode root, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        JsonNode node = root;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (part.endsWith("]")) {
                String name = part.substring(0, part.indexOf('['));
                int index = Integer.parseInt(part.substring(part.indexOf('[') + 1, part.length() - 1));
                ArrayNode array = (ArrayNode) node.get(name);
                if (last) {
                    array.set(index, value);
                    return;
                }
                node = array.get(index);
            } else if (last) {
                ((ObjectNode) node).set(part, value);
            } else {
                node = node.get(part);
            }
        }
    }

    static boolean allText(JsonNode object) {
        for (var it = object.elements(); it.hasNext();) {
            JsonNode v = it.next();
            if (!v.isNull() && !v.isTextual()) {
                return false;
            }
        }
        return true;
    }

    static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    static io.temporal.client.WorkflowClient client() {
        return ((HostFakes.App) APP.getApplication()).temporal().client();
    }

    static io.temporal.api.workflow.v1.WorkflowExecutionInfo describe(String id) {
        var temporal = ((HostFakes.App) APP.getApplication()).temporal();
        return temporal.service().blockingStub().describeWorkflowExecution(
                io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(temporal.namespace())
                        .setExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId(id))
                        .build())
                .getWorkflowExecutionInfo();
    }

    static boolean startedSince(String id, Instant since) {
        try {
            var start = describe(id).getStartTime();
            return !Instant.ofEpochSecond(start.getSeconds(), start.getNanos()).isBefore(since);
        } catch (io.grpc.StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    static boolean running(String id) {
        try {
            return describe(id)
                    .getStatus() == io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
        } catch (io.grpc.StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    static <T> T eventually(java.util.function.Supplier<T> probe) throws InterruptedException {
        return WorkerHostTest.eventually(probe);
    }
}
