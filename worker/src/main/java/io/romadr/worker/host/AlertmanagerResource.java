package io.romadr.worker.host;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.romadr.plan.PlanRepository;
import io.romadr.recovery.AlertNotice;
import io.romadr.recovery.ServiceRecoveryRequest;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/alertmanager}: each firing alert that matches a route starts Scenario 1 with workflow ID
 * {@code alert-<plan>-<scenario>-<fingerprint>}, or attaches to the recovery of that ID that is already running;
 * a resolved alert starts nothing and is recorded on the running recovery, if any. The answer lists what happened
 * to each alert. Order of checks: credentials (401), content type (415), size (413), JSON (400).
 */
@Path("/webhooks/alertmanager")
@Produces(MediaType.APPLICATION_JSON)
public final class AlertmanagerResource {
    static final String ENDPOINT = "alertmanager";
    static final String SOURCE = "alertmanager";
    private static final Logger log = LoggerFactory.getLogger(AlertmanagerResource.class);

    private final AlertmanagerAuthenticator auth;
    private final AlertRouter router;
    private final PlanRepository plans;
    private final RecoveryStarter starter;
    private final WebhookBodies bodies;
    private final RomaMetrics metrics;

    public AlertmanagerResource(AlertmanagerAuthenticator auth, AlertRouter router, PlanRepository plans,
            RecoveryStarter starter, WebhookBodies bodies, RomaMetrics metrics) {
        this.auth = auth;
        this.router = router;
        this.plans = plans;
        this.starter = starter;
        this.bodies = bodies;
        this.metrics = metrics;
    }

    /** Per alert: {@code started}, {@code already_running}, {@code resolved_recorded} or {@code ignored}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AlertResult(String fingerprint, String action, String workflowId, String reason) {}

    public record Response(String receiver, String status, List<AlertResult> alerts) {}

    @POST
    public Response receive(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, InputStream body) {
        return WebhookCalls.handle(ENDPOINT, metrics, () -> {
            auth.check(authorization);
            bodies.requireJson(contentType);
            AlertmanagerPayload payload = bodies.parse(bodies.read(body, contentLength), AlertmanagerPayload.class);
            payload.validate();
            List<String> known = plans.names();
            List<AlertResult> results = new ArrayList<>();
            for (AlertmanagerPayload.Alert alert : payload.alerts()) {
                AlertResult r = handle(alert, known);
                metrics.webhookAction(ENDPOINT, r.action());
                results.add(r);
            }
            return new Response(payload.receiver(), payload.status(), results);
        });
    }

    private AlertResult handle(AlertmanagerPayload.Alert alert, List<String> knownPlans) {
        String fp = alert.fingerprint();
        var route = router.route(alert.labels());
        if (route.isEmpty()) {
            return new AlertResult(fp, "ignored", null, "no route matches the alert's labels");
        }
        String plan = route.get().plan();
        if (!knownPlans.contains(plan)) {
            return new AlertResult(fp, "ignored", null, "plan \"" + plan + "\" is no longer in the plans directory");
        }
        String workflowId = "alert-" + plan + "-" + route.get().scenario() + "-" + fp;
        if (alert.firing()) {
            String summary = alert.annotation("summary");
            String reason = alert.label("alertname") + (summary.isBlank() ? "" : ": " + summary);
            var started = starter.start(workflowId, new ServiceRecoveryRequest(plan, reason, SOURCE), SOURCE);
            if (started.started()) {
                log.info("alert {} ({}) started recovery {}", fp, alert.label("alertname"), workflowId);
                return new AlertResult(fp, "started", workflowId, null);
            }
            return new AlertResult(fp, "already_running", workflowId, null);
        }
        String summary = alert.annotation("summary");
        boolean recorded = starter.notice(workflowId, new AlertNotice(SOURCE, fp, "resolved",
                alert.endsAt() == null ? "" : alert.endsAt(),
                alert.label("alertname") + (summary.isBlank() ? "" : ": " + summary)));
        return recorded
                ? new AlertResult(fp, "resolved_recorded", workflowId, null)
                : new AlertResult(fp, "ignored", workflowId, "resolved, and no recovery is running for it");
    }
}
