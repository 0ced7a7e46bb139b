package io.romadr.activities.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ChangeLog;
import io.romadr.activities.digest.Sha256;
import io.romadr.activities.docker.ContainerLogs;
import io.romadr.activities.heartbeat.Heartbeat;
import io.romadr.activities.objectstore.NoSuchObjectException;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.backup.BackupKeys;
import io.romadr.plan.BackupStore;
import io.romadr.scenario.security.EvidenceArtifact;
import io.romadr.scenario.security.EvidenceManifest;
import io.romadr.scenario.security.EvidenceRequest;
import io.romadr.scenario.security.IncidentContainer;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A security incident's evidence in the plan's backup store, under {@code evidence/<plan>/<incident>/}: per container
 * {@code <name>/diff.txt} (the file system changes, {@code docker diff}), {@code <name>/logs.txt} (the last bytes of
 * its log), {@code <name>/inspect.json} and {@code <name>/image.json} (its image: id and digests). Each object is read
 * back and its SHA-256 checked before {@code manifest.json} (name, size, SHA-256 of each) is written, last: evidence
 * exists exactly when its manifest does. The contents go to the store only, never into the workflow's history.
 */
final class IncidentEvidence {
    static final String MANIFEST = "manifest.json";
    private static final Duration LOG_TIMEOUT = Duration.ofMinutes(5);

    private final DockerClient docker;
    private final Function<BackupStore, ObjectStore> stores;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    IncidentEvidence(DockerClient docker, Function<BackupStore, ObjectStore> stores) {
        this.docker = docker;
        this.stores = stores;
    }

    /** The manifest as stored: names, sizes and digests of the artifacts. */
    record Manifest(String plan, String incident, List<EvidenceArtifact> artifacts) {
    }

    EvidenceManifest preserve(EvidenceRequest request, Heartbeat hb) throws IOException, InterruptedException {
        String prefix = BackupKeys.evidencePrefix(request.plan(), request.incidentId());
        String manifestKey = prefix + MANIFEST;
        try (ObjectStore store = stores.apply(request.store())) {
            if (store.stat(manifestKey).isPresent()) {
                // An earlier attempt finished: check what it stored, write nothing.
                byte[] stored = store.read(manifestKey);
                Manifest m = json.readValue(stored, Manifest.class);
                for (EvidenceArtifact a : m.artifacts()) {
                    hb.beat(a.name());
                    check(store, prefix + a.name(), a.sha256());
                }
                return new EvidenceManifest(store.location(), prefix, m.artifacts(), manifestKey, Sha256.hex(stored),
                        true);
            }
            List<EvidenceArtifact> artifacts = new ArrayList<>();
            for (IncidentContainer c : request.containers()) {
                for (Map.Entry<String, byte[]> e : collect(c, request.logBytes()).entrySet()) {
                    hb.beat(e.getKey());
                    artifacts.add(store(store, prefix, c.name() + "/" + e.getKey(), e.getValue()));
                }
            }
            byte[] manifest = json.writeValueAsBytes(new Manifest(request.plan(), request.incidentId(), artifacts));
            store.put(manifestKey, manifest);
            String sha = Sha256.hex(manifest);
            check(store, manifestKey, sha);
            return new EvidenceManifest(store.location(), prefix, artifacts, manifestKey, sha, false);
        }
    }

    /** What the engine says about one container now, by artifact name. */
    private Map<String, byte[]> collect(IncidentContainer c, long logBytes) throws IOException,
            InterruptedException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try {
            List<ChangeLog> changes = docker.containerDiffCmd(c.containerId()).exec();
            StringBuilder diff = new StringBuilder();
            for (ChangeLog change : changes == null ? List.<ChangeLog>of() : changes) {
                diff.append(kind(change.getKind())).append(' ').append(change.getPath()).append('\n');
            }
            out.put("diff.txt", diff.toString().getBytes(StandardCharsets.UTF_8));
            out.put("logs.txt", ContainerLogs.lastBytes(docker, c.containerId(), logBytes, LOG_TIMEOUT));
            out.put("inspect.json", json.writeValueAsBytes(docker.inspectContainerCmd(c.containerId()).exec()));
        } catch (NotFoundException e) {
            throw ApplicationFailure.newNonRetryableFailure("container " + c.name() + " (" + c.containerId()
                    + ") is gone: its file system and log cannot be kept", "EvidenceGone");
        }
        Object image;
        try {
            image = docker.inspectImageCmd(c.imageId()).exec();
        } catch (NotFoundException e) {
            image = Map.of("id", c.imageId(), "repoDigests", c.repoDigests(), "problem", "image no longer on the "
                    + "engine");
        }
        out.put("image.json", json.writeValueAsBytes(image));
        return out;
    }

    /** docker diff's letters: A added, C changed, D deleted. */
    private static String kind(Integer kind) {
        return kind == null ? "?" : switch (kind) {
            case 0 -> "C";
            case 1 -> "A";
            case 2 -> "D";
            default -> "?";
        };
    }

    private static EvidenceArtifact store(ObjectStore store, String prefix, String name, byte[] bytes)
            throws IOException {
        String sha = Sha256.hex(bytes);
        store.put(prefix + name, bytes);
        check(store, prefix + name, sha);
        return new EvidenceArtifact(name, bytes.length, sha);
    }

    /** The stored bytes read back must have {@code sha256}; anything else is not evidence. */
    private static void check(ObjectStore store, String key, String sha256) throws IOException {
        byte[] back;
        try {
            back = store.read(key);
        } catch (NoSuchObjectException e) {
            throw ApplicationFailure.newNonRetryableFailure("evidence " + key + " is missing from "
                    + store.location(), "EvidenceMissing");
        }
        String actual = Sha256.hex(back);
        if (!actual.equals(sha256)) {
            throw ApplicationFailure.newNonRetryableFailure("evidence " + key + " in " + store.location()
                    + " has sha256 " + Sha256.abbrev(actual) + ", expected " + Sha256.abbrev(sha256),
                    "EvidenceMismatch");
        }
    }
}
