package io.romadr.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.report.Outcome;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker host in-process (Dropwizard on loopback, embedded Temporal, the real workflow, fake activities):
 * every status code of both webhooks, routing, dedupe, resolved alerts, health checks and metrics.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@org.junit.jupiter.api.Tag("integration")
class WorkerHostTest {
    static final DropwizardAppExtension<RomaDrConfiguration> APP = new DropwizardAppExtension<>(HostFakes.App.class,
            ResourceHelpers.resourceFilePath("host-test.yml"),
            ConfigOverride.config("plansDir", HostFakes.plansDir().toString()));

    HostClient http;
    Instant testStart;

    @BeforeEach
    void connect() {
        testStart = Instant.now().minusMillis(1);
        HostFakes.hold();
        http = new HostClient(APP.getLocalPort(), APP.getAdminPort());
    }

    /** Lets the slow recoveries finish and waits until no test plan's recovery runs: each test starts afresh. */
    @AfterEach
    void releaseSlowRecoveries() throws InterruptedException {
        HostFakes.release();
        for (String plan : List.of("roma", "slow", "late")) {
            String id = "roma-dr-service-failure-" + plan;
            eventually(() -> running(id) ? null : true);
        }
    }

    // ---- Alertmanager: credentials, content, size, JSON -----------------------------------------------------

    @Test
    void alertmanagerWithoutOrWithWrongCredentialsIs401AndStartsNothing() {
        String fp = fingerprint();
        String body = HostClient.payload("firing", List.of(roma("firing", fp)));
        for (String[] headers : List.of(
                new String[]{"Content-Type", "application/json"},
                new String[]{"Content-Type", "application/json", "Authorization", "Bearer wrong"},
                new String[]{"Content-Type", "application/json", "Authorization", "Bearer"},
                new String[]{"Content-Type", "application/json", "Authorization",
                        HostClient.basic("alertmanager", "wrong")},
                new String[]{"Content-Type", "application/json", "Authorization",
                        HostClient.basic("someone", HostFakes.BASIC_PASSWORD)},
                new String[]{"Content-Type", "application/json", "Authorization", "Basic !!notbase64"},
                new String[]{"Content-Type", "application/json", "Authorization", "Token " + HostFakes.BEARER})) {
            HostClient.Reply r = http.post("/webhooks/alertmanager", body, headers);
            assertEquals(401, r.status(), r.body());
            assertFalse(r.body().contains(HostFakes.BEARER) || r.body().contains(HostFakes.BASIC_PASSWORD), r.body());
        }
        assertFalse(startedInThisTest(ROMA));
    }

    @Test
    void alertmanagerBasicAuthIsAcceptedToo() {
        String fp = fingerprint();
        HostClient.Reply r = http.post("/webhooks/alertmanager",
                HostClient.payload("firing", List.of(roma("firing", fp))),
                "Content-Type", "application/json",
                "Authorization", HostClient.basic("alertmanager", HostFakes.BASIC_PASSWORD));
        assertEquals(200, r.status(), r.body());
        assertEquals("started", r.json().at("/alerts/0/action").asText(), r.body());
    }

    @Test
    void wrongContentTypeIs415() {
        String body = HostClient.payload("firing", List.of(roma("firing", fingerprint())));
        HostClient.Reply r = http.post("/webhooks/alertmanager", body, "Content-Type", "text/plain",
                "Authorization", "Bearer " + HostFakes.BEARER);
        assertEquals(415, r.status(), r.body());
        r = http.post("/webhooks/recover", "{}", "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(415, r.status(), r.body());
    }

    @Test
    void bodyOverTheLimitIs413WithOrWithoutContentLength() {
        String big = "{\"version\":\"4\",\"pad\":\"" + "x".repeat(5000) + "\"}";
        HostClient.Reply r = http.alertmanager(big);
        assertEquals(413, r.status(), r.body());
        r = http.postChunkedRaw("/webhooks/alertmanager",
                ("[" + "1,".repeat(100_000) + "1]").getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json", "Authorization", "Bearer " + HostFakes.BEARER);
        assertEquals(413, r.status(), r.body());
        r = http.postChunked("/webhooks/recover", new byte[10_000], "Content-Type", "application/json");
        assertEquals(413, r.status(), r.body());
    }

    @Test
    void malformedJsonAndMissingFieldsAre400NamingTheField() {
        HostClient.Reply r = http.alertmanager("{\"version\": \"4\", \"alerts\": [");
        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().get("message").asText().startsWith("malformed JSON"), r.body());

        r = http.alertmanager("");
        assertEquals(400, r.status(), r.body());

        r = http.alertmanager("{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\","
                + "\"labels\":{\"alertname\":\"RomaDown\"}}]}");
        assertEquals(400, r.status(), r.body());
        assertEquals("alerts[0].fingerprint", r.json().get("field").asText(), r.body());

        r = http.alertmanager("{\"version\":\"4\",\"status\":\"firing\",\"alerts\":\"nope\"}");
        assertEquals(400, r.status(), r.body());
        assertEquals("alerts", r.json().get("field").asText(), r.body());

        r = http.alertmanager("{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\","
                + "\"labels\":[1],\"fingerprint\":\"ab\"}]}");
        assertEquals(400, r.status(), r.body());
        assertEquals("alerts[0].labels", r.json().get("field").asText(), r.body());

        r = http.alertmanager("{\"status\":\"firing\",\"alerts\":[]}");
        assertEquals(400, r.status(), r.body());
        assertEquals("version", r.json().get("field").asText(), r.body());

        r = http.alertmanager("{\"version\":\"4\",\"alerts\":[{\"status\":\"burning\",\"labels\":{},"
                + "\"fingerprint\":\"ab\"}]}");
        assertEquals(400, r.status(), r.body());
        assertEquals("alerts[0].status", r.json().get("field").asText(), r.body());

        r = http.alertmanager("{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{},"
                + "\"fingerprint\":\"../x y\"}]}");
        assertEquals(400, r.status(), r.body());
        assertEquals("alerts[0].fingerprint", r.json().get("field").asText(), r.body());

        r = http.alertmanager("null");
        assertEquals(400, r.status(), r.body());
        r = http.alertmanager("{} trailing");
        assertEquals(400, r.status(), r.body());
    }

    // ---- Alertmanager: routing, dedupe, resolved ------------------------------------------------------------

    @Test
    void routesMapLabelsToPlansFirstMatchWinsAndUnmatchedAlertsAreIgnored() throws Exception {
        String roma = fingerprint();
        String slow = fingerprint();
        String other = fingerprint();
        String wrongService = fingerprint();
        HostClient.Reply r = http.alertmanager(HostClient.payload("firing", List.of(
                roma("firing", roma),
                HostClient.alert("firing", slow, Map.of("alertname", "SlowDiskOnRoma", "service", "roma")),
                HostClient.alert("firing", other, Map.of("alertname", "SomethingElse")),
                HostClient.alert("firing", wrongService, Map.of("alertname", "RomaDown", "service", "other")))));
        assertEquals(200, r.status(), r.body());
        JsonNode alerts = r.json().get("alerts");
        assertEquals(4, alerts.size(), r.body());
        assertEquals("started", alerts.get(0).get("action").asText());
        assertEquals(ROMA, alerts.get(0).get("workflowId").asText());
        assertEquals("started", alerts.get(1).get("action").asText());
        assertEquals(SLOW, alerts.get(1).get("workflowId").asText());
        assertEquals("ignored", alerts.get(2).get("action").asText());
        assertTrue(alerts.get(2).get("reason").asText().contains("no route"), r.body());
        assertEquals("ignored", alerts.get(3).get("action").asText());

        ServiceRecoveryReport report = client().newUntypedWorkflowStub(ROMA)
                .getResult(30, java.util.concurrent.TimeUnit.SECONDS, ServiceRecoveryReport.class);
        assertEquals(Outcome.RECOVERED, report.outcome());
        assertEquals("RomaDown: ROMA is down", report.reason());
    }

    @Test
    void theSameAlertPosted20TimesStartsOneRecoveryAndANewOneOnceItIsOver() throws Exception {
        String fp = fingerprint();
        String body = HostClient.payload("firing", List.of(slow("firing", fp)));
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<HostClient.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            replies.add(pool.submit(() -> http.alertmanager(body)));
        }
        List<String> actions = new ArrayList<>();
        for (Future<HostClient.Reply> f : replies) {
            HostClient.Reply r = f.get();
            assertEquals(200, r.status(), r.body());
            actions.add(r.json().at("/alerts/0/action").asText());
        }
        pool.shutdown();
        assertEquals(1, actions.stream().filter("started"::equals).count(), actions.toString());
        assertEquals(19, actions.stream().filter("attached"::equals).count(), actions.toString());

        String id = SLOW;
        String firstRun = runId(id);
        HostFakes.release();
        client().newUntypedWorkflowStub(id).getResult(30, java.util.concurrent.TimeUnit.SECONDS,
                ServiceRecoveryReport.class);

        HostClient.Reply again = http.alertmanager(body);
        assertEquals("started", again.json().at("/alerts/0/action").asText(), again.body());
        assertNotEquals(firstRun, runId(id));
    }

    @Test
    void aResolvedAlertIsRecordedInTheRunningRecoveryAndStartsNothing() {
        String fp = fingerprint();
        assertEquals("started", http.alertmanager(HostClient.payload("firing", List.of(slow("firing", fp))))
                .json().at("/alerts/0/action").asText());
        HostClient.Reply r = http.alertmanager(HostClient.payload("resolved", List.of(slow("resolved", fp))));
        assertEquals(200, r.status(), r.body());
        assertEquals("resolved_recorded", r.json().at("/alerts/0/action").asText(), r.body());

        var progress = client().newWorkflowStub(ServiceRecoveryWorkflow.class, SLOW).progress();
        assertTrue(progress.timeline().stream().anyMatch(s -> s.step().equals("trigger-resolved")
                && s.detail().contains(fp) && s.detail().contains("2026-11-26T10:05:00Z")), progress.toString());

        String unknown = fingerprint();
        r = http.alertmanager(HostClient.payload("resolved", List.of(HostClient.alert("resolved", unknown,
                Map.of("alertname", "RomaLate")))));
        assertEquals("ignored", r.json().at("/alerts/0/action").asText(), r.body());
        assertFalse(startedInThisTest("roma-dr-service-failure-late"));
    }

    @Test
    void theRecoveryCountsFromTheEarliestStartsAtOfItsFiringAlerts() throws Exception {
        Instant earliest = Instant.now().minus(java.time.Duration.ofMinutes(20));
        Instant later = Instant.now().minus(java.time.Duration.ofMinutes(10));
        Map<String, String> labels = Map.of("alertname", "RomaDown", "service", "roma", "severity", "page");
        HostClient.Reply r = http.alertmanager(HostClient.payload("firing", List.of(
                HostClient.alert("firing", fingerprint(), labels, later.toString()),
                HostClient.alert("firing", fingerprint(), labels, earliest.toString()))));
        assertEquals("started", r.json().at("/alerts/0/action").asText(), r.body());

        ServiceRecoveryReport report = client().newUntypedWorkflowStub(ROMA)
                .getResult(30, java.util.concurrent.TimeUnit.SECONDS, ServiceRecoveryReport.class);
        assertEquals(earliest.toEpochMilli(), report.incident().detectedAt(), report.toString());
        assertEquals(earliest.toEpochMilli(), report.startedAt(), "the RTO clock starts at the alert");
        assertTrue(report.incident().requestedAt() >= testStart.toEpochMilli(), report.toString());
        assertTrue(report.rtoActualMillis() >= java.time.Duration.ofMinutes(20).toMillis(), report.toString());
    }

    @Test
    void aSignedRecoverRequestMayCarryTheDetectionTimeAndABadOneIs400() throws Exception {
        Instant detected = Instant.now().minus(java.time.Duration.ofMinutes(5));
        HostClient.Reply bad = http.recover("{\"plan\":\"roma\",\"scenario\":\"service-failure\","
                + "\"detectedAt\":\"five minutes ago\"}");
        assertEquals(400, bad.status(), bad.body());
        assertTrue(bad.body().contains("detectedAt"), bad.body());
        assertFalse(startedInThisTest(ROMA));

        HostClient.Reply r = http.recover("{\"plan\":\"roma\",\"scenario\":\"service-failure\","
                + "\"detectedAt\":\"" + detected + "\"}");
        assertEquals("started", r.json().get("action").asText(), r.body());
        ServiceRecoveryReport report = client().newUntypedWorkflowStub(ROMA)
                .getResult(30, java.util.concurrent.TimeUnit.SECONDS, ServiceRecoveryReport.class);
        assertEquals(detected.toEpochMilli(), report.startedAt(), report.toString());
    }

    // ---- generic webhook --------------------------------------------------------------------------------------

    @Test
    void signedRecoverRequestStartsOnceAndAttachesAfterwards() {
        String body = "{\"plan\":\"slow\",\"scenario\":\"service-failure\",\"reason\":\"ci says so\","
                + "\"dedupeKey\":\"deploy-1\"}";
        HostClient.Reply r = http.recover(body);
        assertEquals(200, r.status(), r.body());
        assertEquals("started", r.json().get("action").asText(), r.body());
        assertEquals(SLOW, r.json().get("workflowId").asText());

        r = http.recover(body.replace("deploy-1", "deploy-2"));
        assertEquals(200, r.status(), r.body());
        assertEquals("attached", r.json().get("action").asText(), r.body());
        assertEquals(SLOW, r.json().get("workflowId").asText());
    }

    @Test
    void badOrMissingOrStaleSignaturesAre401AndStartNothing() {
        String body = "{\"plan\":\"roma\",\"scenario\":\"service-failure\",\"reason\":\"x\"}";
        long now = Instant.now().getEpochSecond();
        List<HostClient.Reply> refused = List.of(
                http.post("/webhooks/recover", body, "Content-Type", "application/json"),
                http.post("/webhooks/recover", body, "Content-Type", "application/json",
                        "X-Roma-Signature", "sha256=" + "00".repeat(32), "X-Roma-Timestamp", Long.toString(now)),
                http.post("/webhooks/recover", body, "Content-Type", "application/json",
                        "X-Roma-Signature", "sha256=zz", "X-Roma-Timestamp", Long.toString(now)),
                http.recover(body, null), // correctly signed, but without the timestamp that is required
                http.recover(body, Long.toString(now - 600)),
                http.recover(body, Long.toString(now + 600)));
        for (HostClient.Reply r : refused) {
            assertEquals(401, r.status(), r.body());
        }
        assertTrue(refused.get(3).json().get("message").asText().contains("X-Roma-Timestamp"), refused.get(3).body());
        assertTrue(refused.get(4).json().get("message").asText().contains("replay window"), refused.get(4).body());
        assertFalse(startedInThisTest(ROMA));
    }

    @Test
    void recoverBodyProblemsAre400And422() {
        HostClient.Reply r = http.recover("{\"scenario\":\"service-failure\",\"dedupeKey\":\"a\"}");
        assertEquals(400, r.status(), r.body());
        assertEquals("plan", r.json().get("field").asText(), r.body());

        r = http.recover("{\"plan\":\"roma\",\"scenario\":\"service-failure\",\"dedupeKey\":\"a b/c\"}");
        assertEquals(400, r.status(), r.body());
        assertEquals("dedupeKey", r.json().get("field").asText(), r.body());

        r = http.recover("{\"plan\":[1],\"scenario\":\"service-failure\",\"dedupeKey\":\"a\"}");
        assertEquals(400, r.status(), r.body());
        assertEquals("plan", r.json().get("field").asText(), r.body());

        r = http.recover("not json");
        assertEquals(400, r.status(), r.body());

        r = http.recover("{\"plan\":\"nosuchplan\",\"scenario\":\"service-failure\",\"dedupeKey\":\"a\"}");
        assertEquals(422, r.status(), r.body());
        assertEquals("plan", r.json().get("field").asText(), r.body());

        r = http.recover("{\"plan\":\"roma\",\"scenario\":\"total-loss\",\"dedupeKey\":\"a\"}");
        assertEquals(422, r.status(), r.body());
        assertEquals("scenario", r.json().get("field").asText(), r.body());
        assertFalse(startedInThisTest(ROMA));
    }

    @Test
    void otherClientMistakesAre4xxNot500() {
        List<HostClient.Reply> replies = List.of(
                http.post("/webhooks/nosuch", "{}", "Content-Type", "application/json"),
                http.post("/webhooks/alertmanager", "{}", "Content-Type", "application/json; charset=\"",
                        "Authorization", "Bearer " + HostFakes.BEARER),
                http.post("/webhooks/recover", "{}", "Content-Type", "application/json", "X-Roma-Signature",
                        "sha256=00", "X-Roma-Timestamp", "yesterday"),
                http.alertmanager("{\"version\":\"4\",\"alerts\":[null]}"),
                http.alertmanager("{\"version\":4,\"alerts\":[{\"status\":\"firing\",\"labels\":{\"a\":{}},"
                        + "\"fingerprint\":\"ab\"}]}"),
                http.alertmanager("[]"));
        for (HostClient.Reply r : replies) {
            assertTrue(r.status() >= 400 && r.status() < 500, r.status() + " " + r.body());
        }
    }

    // ---- health checks and metrics --------------------------------------------------------------------------

    @Test
    void healthChecksReportTemporalDockerAndPlans() {
        HostClient.Reply r = http.admin("/healthcheck");
        assertEquals(200, r.status(), r.body());
        JsonNode json = r.json();
        for (String check : List.of("temporal", "docker", "plans")) {
            assertTrue(json.get(check).get("healthy").asBoolean(), r.body());
        }
        assertTrue(json.get("plans").get("message").asText().contains("4 plan(s)"), r.body());
    }

    @Test
    void metricsEndpointShowsTemporalAndRomaDrMetrics() throws Exception {
        http.post("/webhooks/alertmanager", "{}", "Content-Type", "application/json"); // unauthorized
        String fp = fingerprint();
        http.alertmanager(HostClient.payload("firing", List.of(HostClient.alert("firing", fp,
                Map.of("alertname", "RomaLate")))));
        client().newUntypedWorkflowStub("roma-dr-service-failure-late")
                .getResult(30, java.util.concurrent.TimeUnit.SECONDS, ServiceRecoveryReport.class);

        String text = eventually(() -> {
            String t = http.admin("/prometheus").body();
            // This plan's line: another test's recovery may have put the metric there already.
            return t.lines().anyMatch(l -> l.startsWith("romadr_recoveries_rto_breached_total")
                    && l.contains("plan=\"late\"")) ? t : null;
        });
        for (String name : List.of("temporal_worker_task_slots_available",
                "temporal_activity_schedule_to_start_latency", "temporal_workflow_task_schedule_to_start_latency",
                "temporal_request_total", "romadr_recoveries_started_total{plan=\"late\",source=\"alertmanager\"}",
                "romadr_webhook_requests_total{endpoint=\"alertmanager\",outcome=\"unauthorized\"}",
                "romadr_webhook_alerts_total{action=\"started\",endpoint=\"alertmanager\"}",
                "romadr_recoveries_finished_total",
                "romadr_recovery_queue_wait_seconds_bucket{plan=\"late\",scenario=\"service-failure\",le=\"1.0\"}")) {
            assertTrue(text.contains(name), name + " missing in\n" + text);
        }
        assertTrue(text.lines().anyMatch(l -> l.startsWith("romadr_recoveries_finished_total")
                && l.contains("outcome=\"RECOVERED\"") && l.contains("plan=\"late\"")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("romadr_recoveries_rto_breached_total")
                && l.contains("plan=\"late\"")), text);
        assertEquals(200, http.admin("/prometheus").status());
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    static final String ROMA = "roma-dr-service-failure-roma";
    static final String SLOW = "roma-dr-service-failure-slow";

    static Map<String, Object> roma(String status, String fp) {
        return HostClient.alert(status, fp, Map.of("alertname", "RomaDown", "service", "roma", "severity", "page"));
    }

    static Map<String, Object> slow(String status, String fp) {
        return HostClient.alert(status, fp, Map.of("alertname", "SlowRoma"));
    }

    static String fingerprint() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    static WorkflowClient client() {
        return ((HostFakes.App) APP.getApplication()).temporal().client();
    }

    static boolean exists(String workflowId) {
        try {
            describe(workflowId);
            return true;
        } catch (io.grpc.StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** Whether a run of the ID started since this test began (the host, and so its IDs, outlive a test). */
    boolean startedInThisTest(String workflowId) {
        if (!exists(workflowId)) {
            return false;
        }
        var start = describe(workflowId).getWorkflowExecutionInfo().getStartTime();
        return !Instant.ofEpochSecond(start.getSeconds(), start.getNanos()).isBefore(testStart);
    }

    static boolean running(String workflowId) {
        return exists(workflowId) && describe(workflowId).getWorkflowExecutionInfo()
                .getStatus() == io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    }

    static String runId(String workflowId) {
        return describe(workflowId).getWorkflowExecutionInfo().getExecution().getRunId();
    }

    private static io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse describe(String workflowId) {
        var temporal = ((HostFakes.App) APP.getApplication()).temporal();
        return temporal.service().blockingStub().describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder().setNamespace(temporal.namespace())
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build());
    }

    static <T> T eventually(Supplier<T> probe) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        T last = null;
        while (System.currentTimeMillis() < deadline) {
            last = probe.get();
            if (last != null) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("condition not met within 15 s");
    }
}
