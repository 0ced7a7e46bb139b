package io.romadr.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.util.JsonFormat;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.romadr.activities.LocalServerProcess;
import io.romadr.activities.browser.DevToolsChromium;
import io.romadr.temporal.InputDataConverter;
import io.romadr.temporal.codec.AesGcmPayloadCodec;
import io.romadr.temporal.codec.PayloadKeys;
import io.romadr.worker.crash.TemporalDevServer;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.EncodedValues;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.DynamicWorkflow;
import io.temporal.common.converter.CodecDataConverter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an SRE sees of an encrypted history through the worker host's codec endpoint, with real clients: a workflow
 * run on a real dev server by a client and worker whose converter encrypts ({@link AesGcmPayloadCodec}), then
 * {@code temporal workflow show --codec-endpoint} with and without {@code --codec-auth}, and the Web UI (the dev
 * server's, its codec endpoint set with {@code --ui-codec-endpoint}) in a real chromium, with the bearer token on
 * every request of the page (DevTools {@code Network.setExtraHTTPHeaders}) and without it.
 */
@Tag("integration")
class CodecEndpointUiTest {
    static final String TOKEN = "codec-ui-token-" + UUID.randomUUID();
    static final String KEYS = PayloadKeys.generateLine("ui-k1");
    static final String CANARY = "canary-" + UUID.randomUUID();
    static final String RESULT_CANARY = "result-canary-" + UUID.randomUUID();
    static final Duration UI_DEADLINE = Duration.ofSeconds(60);

    @TempDir
    static Path work;
    static TemporalDevServer dev;
    static DropwizardTestSupport<RomaDrConfiguration> host;
    static WorkerFactory workers;
    static String endpoint;
    static String workflowId = "codec-canary-" + UUID.randomUUID();

    /** The host with the fakes, the payload keys and the codec token in its environment. */
    public static class UiCodecApp extends HostFakes.App {
        @Override
        protected Map<String, String> environment() {
            Map<String, String> env = new HashMap<>(super.environment());
            env.put(PayloadKeys.ENV, KEYS);
            env.put("TEST_CODEC_TOKEN", TOKEN);
            env.put("TEST_CODEC_TOKEN_NEXT", "unused-" + UUID.randomUUID());
            return env;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        int port = LocalServerProcess.freePort();
        endpoint = "http://127.0.0.1:" + port + "/codec";
        dev = TemporalDevServer.start(work.resolve("dev"), endpoint);
        host = new DropwizardTestSupport<>(UiCodecApp.class, ResourceHelpers.resourceFilePath("codec-host-test.yml"),
                ConfigOverride.config("plansDir", HostFakes.plansDir().toString()),
                ConfigOverride.config("server.applicationConnectors[0].port", String.valueOf(port)),
                ConfigOverride.config("server.requestLog.appenders[0].currentLogFilename",
                        work.resolve("requests.log").toString()),
                ConfigOverride.config("logging.appenders[0].currentLogFilename", work.resolve("host.log").toString()),
                ConfigOverride.config("temporal.embedded", "false"),
                ConfigOverride.config("temporal.address", dev.address()),
                ConfigOverride.config("codec.allowedOrigins[0]", dev.uiUrl()),
                // a page decodes every payload of the history in its own requests
                ConfigOverride.config("codec.requestsPerSecond", "100"),
                ConfigOverride.config("codec.burst", "1000"));
        host.before();

        WorkflowClient client = WorkflowClient.newInstance(dev.service(), WorkflowClientOptions.newBuilder()
                .setNamespace("default")
                .setDataConverter(new CodecDataConverter(InputDataConverter.create(),
                        List.of(new AesGcmPayloadCodec(PayloadKeys.parse(KEYS, "test"))), true))
                .build());
        String queue = "codec-canary-" + UUID.randomUUID();
        workers = WorkerFactory.newInstance(client);
        workers.newWorker(queue).registerWorkflowImplementationTypes(CanaryWorkflow.class);
        workers.start();
        WorkflowStub stub = client.newUntypedWorkflowStub("CodecCanaryWorkflow", WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId).setTaskQueue(queue).build());
        WorkflowExecution run = stub.start(Map.of("plan", CANARY));
        assertEquals(workflowId, run.getWorkflowId());
        assertEquals(Map.of("report", RESULT_CANARY), stub.getResult(30, TimeUnit.SECONDS, Map.class));
    }

    /** Any workflow type: returns a report holding {@link #RESULT_CANARY}, so the history has an input and a result. */
    public static class CanaryWorkflow implements DynamicWorkflow {
        @Override
        public Object execute(EncodedValues args) {
            return Map.of("report", RESULT_CANARY);
        }
    }

    @AfterAll
    static void stop() {
        if (workers != null) {
            workers.shutdownNow();
        }
        if (host != null) {
            host.after();
        }
        if (dev != null) {
            dev.close();
        }
    }

    @Test
    void temporalWorkflowShowDecodesWithTheTokenOnly() throws Exception {
        Cli withToken = cli("--codec-endpoint", endpoint, "--codec-auth", "Bearer " + TOKEN);
        assertEquals(0, withToken.exit(), withToken.output());
        Payload shown = input(withToken.output());
        assertEquals("json/plain", shown.getMetadataOrThrow("encoding").toStringUtf8(), withToken.output());
        assertTrue(shown.getData().toStringUtf8().contains(CANARY), withToken.output());
        assertTrue(withToken.output().contains(b64("{\"report\":\"" + RESULT_CANARY + "\"}")), withToken.output());

        // refused (401), the CLI cannot decode the history and shows none of it
        Cli withoutToken = cli("--codec-endpoint", endpoint, "--command-timeout", "5s");
        assertEquals(1, withoutToken.exit(), withoutToken.output());
        assertFalse(withoutToken.output().contains(b64(CANARY)), withoutToken.output());
        assertFalse(withoutToken.output().contains(CANARY), withoutToken.output());
        assertFalse(withoutToken.output().contains(b64("{\"report\":\"" + RESULT_CANARY + "\"}")),
                withoutToken.output());
        String metrics = new HostClient(host.getLocalPort(), host.getAdminPort()).admin("/prometheus").body();
        assertTrue(metrics.contains("romadr_codec_requests_total{operation=\"decode\",outcome=\"unauthorized\"}"),
                metrics);
    }

    @Test
    void theWebUiShowsTheDecodedInputWithTheTokenAndCiphertextWithout() throws Exception {
        String page = dev.uiUrl() + "/namespaces/default/workflows/" + workflowId;
        try (DevToolsChromium browser = DevToolsChromium.start(work.resolve("with-token"))) {
            browser.extraHeaders(Map.of("Authorization", "Bearer " + TOKEN));
            browser.navigate(page);
            String text = browser.pollText(UI_DEADLINE, t -> t.contains(CANARY) && t.contains(RESULT_CANARY));
            assertTrue(text.contains(CANARY) && text.contains(RESULT_CANARY), "input and result decoded:\n" + text);

            // what the UI does with "pass access token": its own fetch with the Authorization header, so the
            // browser's CORS preflight must allow it; readable from the UI's origin ...
            String stored = JsonFormat.printer().omittingInsignificantWhitespace().print(storedInput());
            String decoded = browser.evaluatePromise(decodeFetch(stored));
            assertTrue(decoded.startsWith("200 ") && decoded.contains(b64("{\"plan\":\"" + CANARY + "\"}")),
                    decoded);
            // ... and not from another one (the same UI under the name localhost)
            browser.navigate(dev.uiUrl().replace("127.0.0.1", "localhost") + "/namespaces/default/workflows");
            String other = browser.pollText(UI_DEADLINE, t -> t.contains(workflowId));
            assertTrue(other.contains(workflowId), "the UI's list loaded from localhost:\n" + other);
            String foreign = browser.evaluatePromise(decodeFetch(stored));
            assertTrue(foreign.startsWith("failed: TypeError"), foreign);
            // both went through the browser's preflight, which the endpoint answered
            String metrics = new HostClient(host.getLocalPort(), host.getAdminPort()).admin("/prometheus").body();
            assertTrue(metrics.contains("romadr_codec_requests_total{operation=\"preflight\",outcome=\"ok\"}"),
                    metrics);
            assertTrue(metrics.contains(
                    "romadr_codec_requests_total{operation=\"preflight\",outcome=\"forbidden\"}"), metrics);
        }
        try (DevToolsChromium browser = DevToolsChromium.start(work.resolve("without-token"))) {
            browser.navigate(page);
            // the input as stored: the ciphertext's base64, and the UI's notice that its codec server refused
            String ciphertext = b64(storedInput().getData().toByteArray());
            String text = browser.pollText(UI_DEADLINE, t -> t.contains(ciphertext)
                    && t.contains("Codec Server could not connect"));
            assertTrue(text.contains(ciphertext) && text.contains("Codec Server could not connect"), text);
            assertFalse(text.contains(CANARY) || text.contains(RESULT_CANARY), text);
        }
    }

    /** JavaScript: a decode request as the Web UI makes it, answered "<status> <body>" or "failed: <error>". */
    static String decodeFetch(String payload) {
        return "fetch('" + endpoint + "/decode', {method: 'POST', headers: {'Content-Type': 'application/json',"
                + " 'X-Namespace': 'default', 'Authorization': 'Bearer " + TOKEN + "'}, body: JSON.stringify("
                + "{payloads: [" + payload + "]})}).then(r => r.text().then(t => r.status + ' ' + t))"
                + ".catch(e => 'failed: ' + e)";
    }

    /** The run's input as the server stores it: encrypted by the starting client's codec. */
    static Payload storedInput() {
        Payload input = dev.service().blockingStub().getWorkflowExecutionHistory(
                GetWorkflowExecutionHistoryRequest.newBuilder().setNamespace("default")
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
                .getHistory().getEvents(0).getWorkflowExecutionStartedEventAttributes().getInput().getPayloads(0);
        assertTrue(AesGcmPayloadCodec.isEncrypted(input), input.toString());
        return input;
    }

    /** The first event's input in {@code temporal workflow show -o json}'s output. */
    static Payload input(String output) throws IOException {
        JsonNode payload = new ObjectMapper().readTree(output).at(
                "/events/0/workflowExecutionStartedEventAttributes/input/payloads/0");
        Payload.Builder b = Payload.newBuilder();
        JsonFormat.parser().merge(payload.toString(), b);
        return b.build();
    }

    static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    record Cli(int exit, String output) {
    }

    /** {@code temporal workflow show -w <id> -o json} against the dev server, with {@code args}. */
    static Cli cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(dev.cli(), "workflow", "show", "-w", workflowId, "-o", "json",
                "--address", dev.address(), "--namespace", "default"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "cli", ".txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("temporal workflow show did not finish in 60 s");
        }
        return new Cli(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
