package io.romadr.worker.crash;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.romadr.activities.docker.DockerServiceActivities;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The engine's events for one compose project's containers, recorded live from {@link #start} on, as actions per
 * compose service; a kill is "kill &lt;signal&gt;" ({@code docker stop} sends a "kill 15" too). Live, because a later
 * {@code docker events --since} query answers only from the engine's last 256 events, too few on a busy engine
 * (a test's restart was missing from it while another run made hundreds of containers).
 */
final class EngineEventRecorder implements AutoCloseable {
    private final Map<String, List<String>> byService = new ConcurrentHashMap<>();
    private final ResultCallback.Adapter<Event> stream;

    private EngineEventRecorder(DockerClient docker, String project) throws InterruptedException {
        Instant since = Instant.now();
        this.stream = docker.eventsCmd()
                .withSince(String.format(Locale.ROOT, "%d.%09d", since.getEpochSecond(), since.getNano()))
                .withEventTypeFilter(EventType.CONTAINER)
                .withLabelFilter(Map.of(DockerServiceActivities.LABEL_PROJECT, project))
                .exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Event e) {
                        record(e);
                    }
                });
        stream.awaitStarted(10, TimeUnit.SECONDS);
    }

    /** Records from now on (the engine replays what happened since this instant, so nothing falls in a gap). */
    static EngineEventRecorder start(DockerClient docker, String project) throws InterruptedException {
        return new EngineEventRecorder(docker, project);
    }

    private void record(Event e) {
        Map<String, String> attributes = e.getActor() == null || e.getActor().getAttributes() == null
                ? Map.of()
                : e.getActor().getAttributes();
        String action = e.getAction() != null ? e.getAction() : e.getStatus();
        if ("kill".equals(action)) {
            action = "kill " + attributes.getOrDefault("signal", "?");
        }
        byService.computeIfAbsent(attributes.getOrDefault(DockerServiceActivities.LABEL_SERVICE, "?"),
                k -> new CopyOnWriteArrayList<>()).add(action);
    }

    /** What was recorded so far, per compose service. */
    Map<String, List<String>> byService() {
        Map<String, List<String>> copy = new java.util.HashMap<>();
        byService.forEach((service, actions) -> copy.put(service, List.copyOf(actions)));
        return copy;
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
