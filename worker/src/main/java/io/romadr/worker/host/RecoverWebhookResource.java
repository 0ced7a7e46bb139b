package io.romadr.worker.host;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.romadr.plan.PlanRepository;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.IncidentTimes;
import io.romadr.report.TriggerNotice;
import io.romadr.temporal.RecoveryStarter;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * {@code POST /webhooks/recover}: {@code {"plan", "scenario", "reason", "dedupeKey", "detectedAt"}} signed with
 * HMAC-SHA256
 * ({@link HmacVerifier}); starts the scenario's recovery of the plan (workflow ID {@code roma-dr-<scenario>-<plan>})
 * or attaches to the one running, recording the call on it. Refused with 409 and the running recovery's ID while
 * another scenario of the plan runs. Order of checks: content type (415), size (413), signature and replay (401,
 * 409), JSON and fields (400), plan and scenario (422).
 */
@Path("/webhooks/recover")
@Produces(MediaType.APPLICATION_JSON)
public final class RecoverWebhookResource {
    static final String ENDPOINT = "recover";
    static final String SOURCE = "webhook";
    static final Pattern DEDUPE_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    static final int MAX_REASON = 1000;

    private final HmacVerifier hmac;
    private final PlanRepository plans;
    private final RecoveryTriggers triggers;
    private final WebhookBodies bodies;
    private final RomaMetrics metrics;

    RecoverWebhookResource(HmacVerifier hmac, PlanRepository plans, RecoveryTriggers triggers, WebhookBodies bodies,
            RomaMetrics metrics) {
        this.hmac = hmac;
        this.plans = plans;
        this.triggers = triggers;
        this.bodies = bodies;
        this.metrics = metrics;
    }

    /** {@code started}, {@code attached} or (in a 409's details) {@code refused}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Response(String action, String workflowId, String runId, String scenario) {
    }

    @POST
    public Response receive(@HeaderParam(HmacVerifier.SIGNATURE_HEADER) String signature,
            @HeaderParam(HmacVerifier.TIMESTAMP_HEADER) String timestamp,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, InputStream body) {
        return WebhookCalls.handle(ENDPOINT, metrics, () -> {
            bodies.requireJson(contentType);
            byte[] raw = bodies.read(body, contentLength);
            HmacVerifier.Accepted accepted = hmac.verify(raw, signature, timestamp);
            JsonFields request = JsonFields.of(bodies.json(raw), "");
            String plan = request.text("plan", true);
            String scenario = request.text("scenario", true);
            String reason = request.text("reason", false);
            String dedupeKey = request.text("dedupeKey", false);
            // When the incident was detected, RFC 3339: the recovery's RTO counts from it when earlier.
            String detectedAt = request.text("detectedAt", false);
            if (detectedAt != null && IncidentTimes.parse(detectedAt) == null) {
                throw WebhookException.badField("detectedAt", "not an RFC 3339 time, e.g. 2026-12-07T12:00:00Z");
            }
            if (reason != null && reason.length() > MAX_REASON) {
                throw WebhookException.badField("reason", "longer than " + MAX_REASON + " characters");
            }
            if (dedupeKey != null && !DEDUPE_KEY.matcher(dedupeKey).matches()) {
                throw WebhookException.badField("dedupeKey", "must be 1-128 letters, digits, '.', '_', ':' or '-'");
            }
            if (!RecoveryStarter.SCENARIOS.containsKey(scenario)) {
                throw WebhookException.unprocessable("scenario", "unknown scenario \""
                        + AlertmanagerPayload.abbreviate(scenario, 40) + "\" (known: "
                        + RecoveryStarter.SCENARIOS.keySet() + ")");
            }
            if (!RecoveryPlan.isValidName(plan) || !plans.names().contains(plan)) {
                throw WebhookException.unprocessable("plan", "unknown plan \""
                        + AlertmanagerPayload.abbreviate(plan, 40) + "\"");
            }
            accepted.claim(); // a replay of this signed request inside the window starts nothing from here on
            RecoveryStarter.Outcome outcome;
            try {
                outcome = triggers.start(scenario, plan, reason == null ? "" : reason, detectedAt, new TriggerNotice(
                        SOURCE,
                        SOURCE, dedupeKey == null ? "" : "dedupeKey " + dedupeKey, "requested", "",
                        reason == null ? "" : reason));
            } catch (RuntimeException e) {
                accepted.release(); // nothing was started: the sender's retry of this request may start it
                throw e;
            }
            String action = outcome.action().name().toLowerCase();
            metrics.webhookAction(ENDPOINT, action);
            Response response = new Response(action, outcome.workflowId(),
                    outcome.runId().isEmpty() ? null : outcome.runId(), outcome.scenario());
            if (outcome.action() == RecoveryStarter.Action.REFUSED) {
                throw WebhookException.conflict(outcome.describe(), response);
            }
            return response;
        });
    }
}
