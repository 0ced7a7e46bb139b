package io.romadr.worker.host;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.PlanRepository;
import io.romadr.recovery.ServiceRecoveryRequest;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * {@code POST /webhooks/recover}: {@code {"plan", "scenario", "reason", "dedupeKey"}} signed with HMAC-SHA256
 * ({@link HmacVerifier}); starts Scenario 1 with workflow ID {@code webhook-<plan>-<scenario>-<dedupeKey>}, or
 * attaches to the running recovery of that ID. Order of checks: content type (415), size (413), signature (401),
 * JSON and fields (400), plan and scenario (422).
 */
@Path("/webhooks/recover")
@Produces(MediaType.APPLICATION_JSON)
public final class RecoverWebhookResource {
    static final String ENDPOINT = "recover";
    static final String SOURCE = "webhook";
    static final Pattern DEDUPE_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final HmacVerifier hmac;
    private final PlanRepository plans;
    private final RecoveryStarter starter;
    private final WebhookBodies bodies;
    private final RomaMetrics metrics;

    public RecoverWebhookResource(HmacVerifier hmac, PlanRepository plans, RecoveryStarter starter,
            WebhookBodies bodies, RomaMetrics metrics) {
        this.hmac = hmac;
        this.plans = plans;
        this.starter = starter;
        this.bodies = bodies;
        this.metrics = metrics;
    }

    /** The request body; {@code reason} is optional. */
    public record RecoverRequest(String plan, String scenario, String reason, String dedupeKey) {}

    /** {@code started} or {@code already_running}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Response(String action, String workflowId, String runId) {}

    @POST
    public Response receive(@HeaderParam(HmacVerifier.SIGNATURE_HEADER) String signature,
            @HeaderParam(HmacVerifier.TIMESTAMP_HEADER) String timestamp,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, InputStream body) {
        return WebhookCalls.handle(ENDPOINT, metrics, () -> {
            bodies.requireJson(contentType);
            byte[] raw = bodies.read(body, contentLength);
            hmac.verify(raw, signature, timestamp);
            RecoverRequest request = bodies.parse(raw, RecoverRequest.class);
            require(request.plan(), "plan");
            require(request.scenario(), "scenario");
            require(request.dedupeKey(), "dedupeKey");
            if (!DEDUPE_KEY.matcher(request.dedupeKey()).matches()) {
                throw WebhookException.badField("dedupeKey", "must be 1-128 letters, digits, '.', '_', ':' or '-'");
            }
            if (!AlertRouter.SCENARIOS.contains(request.scenario())) {
                throw WebhookException.unprocessable("scenario", "unknown scenario \""
                        + AlertmanagerPayload.abbreviate(request.scenario()) + "\" (known: " + AlertRouter.SCENARIOS
                        + ")");
            }
            if (!RecoveryPlan.isValidName(request.plan()) || !plans.names().contains(request.plan())) {
                throw WebhookException.unprocessable("plan", "unknown plan \""
                        + AlertmanagerPayload.abbreviate(request.plan()) + "\"");
            }
            String workflowId = "webhook-" + request.plan() + "-" + request.scenario() + "-" + request.dedupeKey();
            var started = starter.start(workflowId,
                    new ServiceRecoveryRequest(request.plan(), request.reason(), SOURCE), SOURCE);
            String action = started.started() ? "started" : "already_running";
            metrics.webhookAction(ENDPOINT, action);
            return new Response(action, workflowId, started.runId().isEmpty() ? null : started.runId());
        });
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw WebhookException.badField(field, "missing");
        }
    }
}
