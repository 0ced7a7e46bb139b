package io.romadr.worker.host;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.romadr.activities.credentials.Secret;
import io.romadr.backup.BackupEvent;
import io.romadr.plan.PlanRepository;
import io.romadr.plan.RecoveryPlan;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code POST /webhooks/git/{plan}}: a git forge's push webhook ({@link GitForge}: GitHub, GitLab, Gitea, Forgejo,
 * told apart by their event headers) starts the plan's git mirror at once, or merges into the one running
 * ({@link BackupEventTriggers}, kind {@code git}). Order of checks: content type (415), size (413), a known forge's
 * event header (400), the secret (401), JSON (400), plan with {@code backup.git} (422); then a ping answers 200 and
 * any event but a push 202 {@code ignored}, both starting nothing; a push's {@code ref} and {@code after} (400); a
 * delivery id or body seen within the replay window (409, {@link GitDeliveries}); then 202 {@code signalled}.
 */
@Path("/webhooks/git/{plan}")
@Produces(MediaType.APPLICATION_JSON)
public final class GitPushWebhookResource {
    static final String ENDPOINT = "git";
    static final String KIND = "git";
    /** Every forge the webhook knows, most specific first (see {@link GitForge}). */
    static final List<GitForge> FORGES = List.of(GiteaForge.FORGEJO, GiteaForge.GITEA, new GitLabForge(),
            new GitHubForge());
    static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    static final int MAX_REF = 255;

    private final GitPushSecrets secrets;
    private final GitDeliveries deliveries;
    private final PlanRepository plans;
    private final BackupEventTriggers triggers;
    private final WebhookBodies bodies;
    private final RomaMetrics metrics;
    private final Clock clock;

    GitPushWebhookResource(GitPushSecrets secrets, GitDeliveries deliveries, PlanRepository plans,
            BackupEventTriggers triggers, WebhookBodies bodies, RomaMetrics metrics, Clock clock) {
        this.secrets = secrets;
        this.deliveries = deliveries;
        this.plans = plans;
        this.triggers = triggers;
        this.bodies = bodies;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** {@code signalled} (with the events workflow's id), {@code ignored} or {@code ping}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(String action, String workflowId, String detail) {
    }

    @POST
    public Response receive(@PathParam("plan") String plan, @Context HttpHeaders headers,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, InputStream body) {
        return WebhookCalls.handle(ENDPOINT, metrics, () -> {
            bodies.requireJson(contentType);
            byte[] raw = bodies.read(body, contentLength);
            GitForge.Headers h = headers::getHeaderString;
            GitForge forge = forgeOf(h);
            Optional<Secret> secret = secrets.forPlan(plan);
            if (secret.isEmpty()) {
                throw WebhookException.unauthorized("no secret is configured for the git push webhook"
                        + " (webhooks.git.secretFile or secretEnv, or webhooks.git.plans.<plan>)");
            }
            forge.verify(raw, h, secret.get());
            JsonNode tree = bodies.json(raw);
            JsonFields payload = JsonFields.of(tree, "");
            requireGitBackup(plan);
            GitForge.Kind kind = forge.kind(forge.event(h));
            if (kind == GitForge.Kind.PING) {
                return Response.ok(new Answer("ping", null, null)).build();
            }
            if (kind == GitForge.Kind.OTHER) {
                metrics.backupEvent(plan, KIND, forge.name(), "ignored");
                return Response.accepted(new Answer("ignored", null, "only push events start the git mirror"))
                        .build();
            }
            String ref = payload.text("ref", true);
            String after = payload.text("after", true);
            if (ref.length() > MAX_REF) {
                throw WebhookException.badField("ref", "longer than " + MAX_REF + " characters");
            }
            if (!COMMIT.matcher(after).matches()) {
                throw WebhookException.badField("after", "must be a commit id (40 or 64 lower-case hex digits)");
            }
            String digest = sha256(raw);
            String delivery = forge.delivery(h);
            GitDeliveries.Claim claim;
            try {
                claim = deliveries.claim(forge.name(), delivery, digest);
            } catch (WebhookException e) {
                metrics.backupEvent(plan, KIND, forge.name(), "duplicate");
                throw e;
            }
            BackupEvent event = new BackupEvent(forge.name(),
                    delivery == null || delivery.isBlank() ? "body-" + digest.substring(0, 16) : delivery,
                    forge.pushedAt(tree), clock.millis(), List.of(), ref + " " + after.substring(0, 7));
            String workflowId;
            try {
                workflowId = triggers.signal(plan, KIND, event);
            } catch (RuntimeException e) {
                claim.release(); // nothing was signalled: the forge's redelivery may signal it
                throw e;
            }
            return Response.accepted(new Answer("signalled", workflowId, event.detail())).build();
        });
    }

    /** The first of {@link #FORGES} whose event header the request has; 400 when none. */
    static GitForge forgeOf(GitForge.Headers headers) {
        return FORGES.stream().filter(f -> f.event(headers) != null).findFirst()
                .orElseThrow(() -> WebhookException.badRequest("not a push webhook of a known forge: expected one"
                        + " of the headers X-GitHub-Event, X-Gitlab-Event, X-Gitea-Event, X-Forgejo-Event"));
    }

    /** 422 unless {@code plan} is a plan of this host whose backup has a git section. */
    private void requireGitBackup(String plan) {
        if (!RecoveryPlan.isValidName(plan) || !plans.names().contains(plan)) {
            throw WebhookException.unprocessable("plan", "unknown plan \"" + AlertmanagerPayload.abbreviate(plan, 40)
                    + "\" (the URL is /webhooks/git/<plan>)");
        }
        RecoveryPlan loaded;
        try {
            loaded = plans.load(plan);
        } catch (RuntimeException e) {
            throw WebhookException.unprocessable("plan", "plan \"" + plan + "\" does not load: "
                    + AlertmanagerPayload.abbreviate(String.valueOf(e.getMessage()), 200));
        }
        if (loaded.backup() == null || loaded.backup().git() == null) {
            throw WebhookException.unprocessable("plan", "plan \"" + plan + "\" has no backup.git: there is nothing"
                    + " to mirror");
        }
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
