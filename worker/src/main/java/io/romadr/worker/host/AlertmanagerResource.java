package io.romadr.worker.host;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.romadr.plan.PlanRepository;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/alertmanager}. The alerts of a payload are grouped by the recovery their route names (plan
 * and scenario); each group makes one call to {@link RecoveryStarter}: firing alerts start that recovery or attach
 * to the one running (workflow ID {@code roma-dr-<scenario>-<plan>}, one notice naming the group's alerts), resolved
 * alerts are recorded on the running one, if any. Every alert gets its own result; an alert with a bad field is
 * refused alone and the payload is then answered 400 naming the first such field, with every alert's result. A
 * recovery refused because another scenario of its plan runs is reported per alert and answered 409. Order of
 * checks: credentials (401), content type (415), size (413), JSON (400), number of alerts (413).
 */
@Path("/webhooks/alertmanager")
@Produces(MediaType.APPLICATION_JSON)
public final class AlertmanagerResource {
    static final String ENDPOINT = "alertmanager";
    static final String SOURCE = "alertmanager";
    /** Fingerprints named in one notice; the rest are counted. */
    static final int NOTICE_FINGERPRINTS = 10;
    private static final Logger log = LoggerFactory.getLogger(AlertmanagerResource.class);

    private final AlertmanagerAuthenticator auth;
    private final AlertRouter router;
    private final PlanRepository plans;
    private final RecoveryTriggers triggers;
    private final WebhookBodies bodies;
    private final RomaMetrics metrics;
    private final int maxAlerts;

    AlertmanagerResource(AlertmanagerAuthenticator auth, AlertRouter router, PlanRepository plans,
            RecoveryTriggers triggers, WebhookBodies bodies, RomaMetrics metrics, int maxAlerts) {
        this.auth = auth;
        this.router = router;
        this.plans = plans;
        this.triggers = triggers;
        this.bodies = bodies;
        this.metrics = metrics;
        this.maxAlerts = maxAlerts;
    }

    /**
     * Per alert: {@code started}, {@code attached}, {@code resolved_recorded}, {@code ignored}, {@code refused}
     * (another scenario of the plan is running: {@code workflowId} is that one) or {@code invalid} (its field).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AlertResult(int index, String fingerprint, String action, String workflowId, String reason,
            String field) {
    }

    public record Response(String receiver, String status, List<AlertResult> alerts) {
    }

    @POST
    public Response receive(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, InputStream body) {
        return WebhookCalls.handle(ENDPOINT, metrics, () -> {
            auth.check(authorization);
            bodies.requireJson(contentType);
            AlertmanagerPayload payload = AlertmanagerPayload.read(bodies.json(bodies.read(body, contentLength)),
                    maxAlerts);
            AlertResult[] results = new AlertResult[payload.alerts().size()];
            Map<Group, List<Indexed>> groups = new LinkedHashMap<>();
            List<String> known = plans.names();
            for (AlertmanagerPayload.Entry e : payload.alerts()) {
                if (e.problem() != null) {
                    results[e.index()] = new AlertResult(e.index(), null, "invalid", null, e.problem().getMessage(),
                            e.problem().answer().field());
                    continue;
                }
                var alert = e.alert();
                var route = router.route(alert.labels());
                if (route.isEmpty()) {
                    results[e.index()] = ignored(e.index(), alert, "no route matches the alert's labels");
                } else if (!known.contains(route.get().plan())) {
                    results[e.index()] = ignored(e.index(), alert, "plan \"" + route.get().plan()
                            + "\" is no longer in the plans directory");
                } else {
                    groups.computeIfAbsent(new Group(route.get().plan(), route.get().scenario(), alert.firing()),
                            g -> new ArrayList<>()).add(new Indexed(e.index(), alert));
                }
            }
            groups.forEach((group, alerts) -> handle(group, alerts, results));
            List<AlertResult> list = List.of(results);
            list.forEach(r -> metrics.webhookAction(ENDPOINT, r.action()));
            Response response = new Response(payload.receiver(), payload.status(), list);
            var invalid = payload.alerts().stream().filter(a -> a.problem() != null).findFirst();
            if (invalid.isPresent()) {
                throw invalid.get().problem().with(response);
            }
            var refused = list.stream().filter(r -> r.action().equals("refused")).findFirst();
            if (refused.isPresent()) {
                throw WebhookException.conflict(refused.get().reason(), response);
            }
            return response;
        });
    }

    private record Group(String plan, String scenario, boolean firing) {
    }

    private record Indexed(int index, AlertmanagerPayload.Alert alert) {
    }

    /** One start (firing) or notice (resolved) for all the alerts of a payload that concern the same recovery. */
    private void handle(Group group, List<Indexed> alerts, AlertResult[] results) {
        AlertmanagerPayload.Alert first = alerts.get(0).alert();
        TriggerNotice notice = new TriggerNotice(SOURCE, SOURCE, fingerprints(alerts), first.status(),
                first.firing() ? first.startsAt() : first.endsAt(),
                first.reason() + (alerts.size() > 1 ? " (and " + (alerts.size() - 1) + " more alert(s))" : ""));
        if (group.firing()) {
            RecoveryStarter.Outcome outcome = triggers.start(group.scenario(), group.plan(), first.reason(),
                    detectedAt(alerts), notice);
            for (int i = 0; i < alerts.size(); i++) {
                Indexed a = alerts.get(i);
                String action = switch (outcome.action()) {
                    case STARTED -> i == 0 ? "started" : "attached";
                    case ATTACHED -> "attached";
                    case REFUSED -> "refused";
                };
                results[a.index()] = new AlertResult(a.index(), a.alert().fingerprint(), action, outcome.workflowId(),
                        outcome.action() == RecoveryStarter.Action.REFUSED ? outcome.describe() : null, null);
            }
            if (outcome.action() == RecoveryStarter.Action.STARTED) {
                log.info("alert {} ({}) started recovery {}", first.fingerprint(), first.label("alertname"),
                        outcome.workflowId());
            }
            return;
        }
        boolean recorded = triggers.notice(group.scenario(), group.plan(), notice);
        String id = RecoveryStarter.workflowId(group.scenario(), group.plan());
        for (Indexed a : alerts) {
            results[a.index()] = recorded
                    ? new AlertResult(a.index(), a.alert().fingerprint(), "resolved_recorded", id, null, null)
                    : new AlertResult(a.index(), a.alert().fingerprint(), "ignored", id,
                            "resolved, and no recovery is running for it", null);
        }
    }

    /**
     * When the incident was detected: the earliest {@code startsAt} of the group's firing alerts, as sent. A missing
     * or unparseable one (or Go's zero time, before 1970) is left out; none left: null, the RTO counts from the
     * request.
     */
    static String detectedAt(List<Indexed> alerts) {
        String earliest = null;
        long earliestMillis = Long.MAX_VALUE;
        for (Indexed a : alerts) {
            Long at = IncidentTimes.parse(a.alert().startsAt());
            if (at != null && at >= 0 && at < earliestMillis) {
                earliest = a.alert().startsAt().trim();
                earliestMillis = at;
            }
        }
        return earliest;
    }

    private static AlertResult ignored(int index, AlertmanagerPayload.Alert alert, String reason) {
        return new AlertResult(index, alert.fingerprint(), "ignored", null, reason, null);
    }

    private static String fingerprints(List<Indexed> alerts) {
        List<String> named = alerts.stream().limit(NOTICE_FINGERPRINTS).map(a -> a.alert().fingerprint()).toList();
        return (alerts.size() == 1 ? "alert " : "alerts ") + String.join(",", named)
                + (alerts.size() > named.size() ? ",+" + (alerts.size() - named.size()) : "");
    }
}
