package io.romadr.worker.host;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.romadr.backup.BackupEvent;
import io.romadr.plan.PlanRepository;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.IncidentTimes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/registry}: the Docker distribution registry's notifications ({@code notifications:
 * endpoints:} of its config). Each event that pushed a manifest with a tag is signalled to the image mirror events
 * workflow of every plan whose {@code backup.images.repositories} lists the repository, which mirrors the tag to the
 * backup registry at once. Every other event (blob pushes, pulls, deletes, repositories of no plan) is answered
 * {@code ignored}: the registry retries a refused envelope until its threshold, so only a broken request is refused.
 * Order of checks: bearer token (401), content type (415), size (413), JSON and the {@code events} array (400).
 */
@Path("/webhooks/registry")
@Produces(MediaType.APPLICATION_JSON)
public final class RegistryWebhookResource {
    private static final Logger log = LoggerFactory.getLogger(RegistryWebhookResource.class);
    static final String ENDPOINT = "registry";
    static final String SOURCE = "registry";
    static final String KIND = "images";
    /** What the registry sends; {@code application/json} is accepted too (curl, other senders). */
    static final String EVENTS_TYPE = "application/vnd.docker.distribution.events.v1+json";
    private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+([._/-][a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    private final BearerTokens auth;
    private final PlanRepository plans;
    private final BackupEventTriggers triggers;
    private final WebhookBodies bodies;
    private final RomaMetrics metrics;
    private final Clock clock;
    private final Map<String, ReadPlan> readPlans = new ConcurrentHashMap<>();

    RegistryWebhookResource(BearerTokens auth, PlanRepository plans, BackupEventTriggers triggers,
            WebhookBodies bodies, RomaMetrics metrics, Clock clock) {
        this.auth = auth;
        this.plans = plans;
        this.triggers = triggers;
        this.bodies = bodies;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Per event: {@code signalled} (with the plans and the events workflows told) or {@code ignored} (with why).
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record EventResult(int index, String id, String image, String action, List<String> plans,
            List<String> workflowIds, String reason) {
    }

    public record Response(List<EventResult> events) {
    }

    @POST
    public Response receive(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, InputStream body) {
        return WebhookCalls.handle(ENDPOINT, metrics, () -> {
            auth.check(authorization);
            bodies.requireJson(contentType, EVENTS_TYPE);
            JsonNode events = JsonFields.of(bodies.json(bodies.read(body, contentLength)), "").array("events");
            long receivedAt = clock.millis();
            ImagePlansOnce plansOnce = new ImagePlansOnce();
            List<EventResult> results = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                EventResult result = handle(i, JsonFields.of(events.get(i), "events[" + i + "]"), plansOnce,
                        receivedAt);
                metrics.webhookAction(ENDPOINT, result.action());
                results.add(result);
            }
            return new Response(results);
        });
    }

    private EventResult handle(int index, JsonFields event, Supplier<List<ImagePlans>> routes, long receivedAt) {
        String id = event.text("id", false);
        String action = event.text("action", false);
        JsonNode targetNode = event.object("target");
        if (!"push".equals(action) || targetNode == null) {
            return ignored(index, id, null, "not a push (action "
                    + (action == null ? "none" : AlertmanagerPayload.abbreviate(action, 40)) + ")");
        }
        JsonFields target = JsonFields.of(targetNode, event.path("target"));
        String repository = target.text("repository", false);
        String tag = target.text("tag", false);
        if (tag == null || tag.isEmpty()) {
            return ignored(index, id, null, "no tag (a blob or a manifest pushed by digest)");
        }
        if (repository == null || !REPOSITORY.matcher(repository).matches() || !TAG.matcher(tag).matches()) {
            return ignored(index, id, null, "not a repository:tag");
        }
        String image = repository + ":" + tag;
        List<String> matched = routes.get().stream().filter(r -> r.repositories().contains(repository))
                .map(ImagePlans::plan).toList();
        if (matched.isEmpty()) {
            return ignored(index, id, image, "no plan backs up " + repository);
        }
        Long occurredAt = IncidentTimes.parse(event.text("timestamp", false));
        BackupEvent backupEvent = new BackupEvent(SOURCE, id, occurredAt == null ? 0 : occurredAt, receivedAt,
                List.of(image), image);
        List<String> workflowIds = new ArrayList<>();
        for (String plan : matched) {
            workflowIds.add(triggers.signal(plan, KIND, backupEvent));
        }
        return new EventResult(index, id, image, "signalled", matched, workflowIds, null);
    }

    private EventResult ignored(int index, String id, String image, String reason) {
        metrics.backupEvent("none", KIND, SOURCE, "ignored");
        return new EventResult(index, id, image, "ignored", List.of(), List.of(), reason);
    }

    /**
     * The plans with an image backup, read at most once per request and only when a tag push needs them: most
     * notifications are blob pushes and pulls.
     */
    private final class ImagePlansOnce implements Supplier<List<ImagePlans>> {
        private List<ImagePlans> read;

        @Override
        public List<ImagePlans> get() {
            if (read == null) {
                read = imagePlans();
            }
            return read;
        }
    }

    /** A plan and the repositories its image backup lists. */
    record ImagePlans(String plan, List<String> repositories) {
    }

    /** A plan file as last read: its modification time and the repositories its image backup lists. */
    private record ReadPlan(FileTime modified, List<String> repositories) {
    }

    /**
     * The plans with an image backup, checked per request so a plan changed on disk counts at once; a plan file is
     * parsed again only when its modification time changed, so a tag push costs a directory listing, not a parse
     * of every plan. A plan that does not load is left out (start-up and {@code check} report it); the others
     * still route.
     */
    private List<ImagePlans> imagePlans() {
        List<ImagePlans> routes = new ArrayList<>();
        for (String name : plans.names()) {
            try {
                FileTime modified = Files.getLastModifiedTime(plans.file(name));
                ReadPlan read = readPlans.get(name);
                if (read == null || !read.modified().equals(modified)) {
                    RecoveryPlan plan = plans.load(name);
                    read = new ReadPlan(modified, plan.backup() != null && plan.backup().images() != null
                            ? plan.backup().images().repositories()
                            : List.of());
                    readPlans.put(name, read);
                }
                if (!read.repositories().isEmpty()) {
                    routes.add(new ImagePlans(name, read.repositories()));
                }
            } catch (IOException | RuntimeException e) {
                log.warn("registry webhook: plan {} not read: {}", name, e.getMessage());
            }
        }
        return routes;
    }
}
