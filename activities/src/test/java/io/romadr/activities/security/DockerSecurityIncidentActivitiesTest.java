package io.romadr.activities.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.romadr.activities.backup.BackupOperations;
import io.romadr.activities.backup.BackupRefusedException;
import io.romadr.activities.digest.Sha256;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.activities.objectstore.LocalObjectStore;
import io.romadr.activities.objectstore.ObjectInfo;
import io.romadr.activities.registry.EngineImages;
import io.romadr.activities.registry.RegistryServer;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.BackupRef;
import io.romadr.backup.ListBackupsRequest;
import io.romadr.plan.BackupStore;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.plan.ImageBackupSpec;
import io.romadr.plan.RegistryEndpoint;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.ServiceSpec;
import io.romadr.scenario.security.ContainRequest;
import io.romadr.scenario.security.ContainResult;
import io.romadr.scenario.security.EvidenceArtifact;
import io.romadr.scenario.security.EvidenceManifest;
import io.romadr.scenario.security.EvidenceRequest;
import io.romadr.scenario.security.IncidentAssessRequest;
import io.romadr.scenario.security.IncidentAssessment;
import io.romadr.scenario.security.IncidentContainer;
import io.romadr.scenario.security.KnownGoodImage;
import io.romadr.scenario.security.KnownGoodImages;
import io.romadr.scenario.security.KnownGoodImagesRequest;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The security incident's activities on a real Docker engine, a real local store and a real registry: one sandbox
 * (two containers), one registry, one store for the class. Containment (stop, disconnect) and its retry, the evidence
 * stored, read back, found again by a retry and refused when tampered with, retention never touching it, and the
 * known-good digest of the backup registry replacing a moved tag.
 */
@Tag("integration")
class DockerSecurityIncidentActivitiesTest {
    static DockerClient docker;
    static SandboxService sandbox;
    static RegistryServer registry;
    static Path storeDir;
    static BackupStore store;
    static DockerSecurityIncidentActivities activities;
    static ServiceSpec service;

    @BeforeAll
    static void start() throws Exception {
        docker = DockerTestSupport.dockerWithSandboxImage();
        sandbox = SandboxService.create(docker, "romadr-sec-" + UUID.randomUUID().toString().substring(0, 8),
                SandboxImage.DEFAULT_IMAGE, SandboxService.Options.defaults());
        registry = RegistryServer.start();
        storeDir = Files.createTempDirectory("roma-evidence");
        store = new BackupStore(storeDir.toUri().toString(), null, null, null);
        activities = new DockerSecurityIncidentActivities(docker, s -> local(),
                System::getenv);
        service = new ServiceSpec(sandbox.composeProject(), SandboxService.SERVICES.stream()
                .map(s -> new ServiceContainer(s, null)).toList(),
                List.of(new HealthCheck("health",
                        new HttpCheck(sandbox.healthUrl("roma"), 200, null), null)),
                null, null, null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (sandbox != null) {
            sandbox.destroy();
        }
        if (registry != null) {
            registry.close();
        }
        if (storeDir != null) {
            try (Stream<Path> walk = Files.walk(storeDir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static LocalObjectStore local() {
        try {
            return new LocalObjectStore(storeDir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static IncidentContainer assessed(String name) {
        IncidentAssessment a = activities.assessIncident(new IncidentAssessRequest(service, List.of(name)));
        assertEquals(1, a.containers().size(), a.summary());
        return a.containers().get(0);
    }

    private static InspectContainerResponse inspect(IncidentContainer c) {
        return docker.inspectContainerCmd(c.containerId()).exec();
    }

    @Test
    void stoppedContainerEvidenceIsStoredCheckedKeptAndNeverDeleted() throws Exception {
        IncidentContainer roma = assessed("roma");
        assertEquals("running", roma.state());
        assertEquals(List.of("bridge"), roma.networks());
        // What the attacker left: a file the diff must show.
        ExecCreateCmdResponse exec = docker.execCreateCmd(roma.containerId())
                .withCmd("sh", "-c", "echo pwned > /tmp/backdoor && echo intruder-was-here").exec();
        docker.execStartCmd(exec.getId()).start().awaitCompletion();

        ContainRequest stop = new ContainRequest("stop", List.of(roma), Duration.ofSeconds(5));
        ContainResult first = activities.contain(stop);
        assertTrue(first.changed());
        assertEquals(List.of(roma.name() + " stopped"), first.actions());
        assertFalse(inspect(roma).getState().getRunning());
        ContainResult again = activities.contain(stop);
        assertFalse(again.changed(), again.actions().toString());
        assertTrue(again.actions().get(0).startsWith(roma.name() + " already stopped"), again.actions().toString());

        EvidenceRequest request = new EvidenceRequest(store, "roma", "incident-1", List.of(roma), 1 << 20);
        EvidenceManifest kept = activities.preserveEvidence(request);
        assertFalse(kept.alreadyStored());
        assertEquals("evidence/roma/incident-1/", kept.prefix());
        assertEquals(Set.of("diff.txt", "logs.txt", "inspect.json", "image.json"), kept.artifacts().stream()
                .map(a -> a.name().substring(roma.name().length() + 1)).collect(java.util.stream.Collectors.toSet()));
        for (EvidenceArtifact a : kept.artifacts()) {
            byte[] stored = Files.readAllBytes(storeDir.resolve(kept.prefix() + a.name()));
            assertEquals(a.sha256(), Sha256.hex(stored), a.name());
            assertEquals(a.size(), stored.length, a.name());
        }
        String diff = Files.readString(storeDir.resolve(kept.prefix() + roma.name() + "/diff.txt"));
        assertTrue(diff.contains("A /tmp/backdoor"), diff);
        String manifest = Files.readString(storeDir.resolve(kept.manifestKey()));
        assertEquals(kept.manifestSha256(), Sha256.hex(manifest.getBytes(StandardCharsets.UTF_8)));

        // A retry finds it, checks it and writes nothing.
        long written = Files.getLastModifiedTime(storeDir.resolve(kept.manifestKey())).toMillis();
        EvidenceManifest retried = activities.preserveEvidence(request);
        assertTrue(retried.alreadyStored());
        assertEquals(kept.artifacts(), retried.artifacts());
        assertEquals(written, Files.getLastModifiedTime(storeDir.resolve(kept.manifestKey())).toMillis());

        // Retention: no backup kind lists evidence, and a delete under evidence/ is refused.
        BackupOperations backups = new BackupOperations(docker, s -> local());
        for (BackupKind kind : BackupKind.values()) {
            assertEquals(List.of(), backups.list(new ListBackupsRequest(store, "roma", kind)), kind.id());
        }
        String key = kept.prefix() + roma.name() + "/logs.txt";
        BackupManifest forged = new BackupManifest(1, BackupKind.STATE, "roma", key, "0".repeat(64), 1, 0, 0, "",
                0, "wf", List.of(), List.of(), List.of());
        assertThrows(BackupRefusedException.class, () -> backups.delete(new BackupRef(store, forged)));
        try (LocalObjectStore local = new LocalObjectStore(storeDir)) {
            List<String> keys = local.list("evidence/").stream().map(ObjectInfo::key).toList();
            assertEquals(kept.artifacts().size() + 1, keys.size(), keys.toString());
        }

        // Evidence changed after it was kept is not evidence any more.
        Files.writeString(storeDir.resolve(key), "rewritten");
        ApplicationFailure tampered = assertThrows(ApplicationFailure.class, () -> activities.preserveEvidence(
                request));
        assertEquals("EvidenceMismatch", tampered.getType());
    }

    @Test
    void disconnectCutsEveryNetworkOnce() {
        IncidentContainer api = assessed("roma-api");
        ContainRequest cut = new ContainRequest("disconnect", List.of(api), Duration.ofSeconds(5));
        ContainResult first = activities.contain(cut);
        assertEquals(List.of(api.name() + " disconnected from bridge"), first.actions());
        InspectContainerResponse after = inspect(api);
        assertTrue(after.getState().getRunning(), "disconnect keeps the process for forensics");
        Map<String, ?> networks = after.getNetworkSettings().getNetworks();
        assertTrue(networks == null || networks.isEmpty(), String.valueOf(networks));
        ContainResult again = activities.contain(cut);
        assertFalse(again.changed());
        assertEquals(List.of(api.name() + " already off bridge"), again.actions());
    }

    @Test
    void theBackupRegistrysDigestReplacesAMovedTag() throws Exception {
        String repository = "roma-sec-" + UUID.randomUUID().toString().substring(0, 8);
        // Known-good: the sandbox image, in the backup registry.
        new EngineImages(docker).push(SandboxImage.DEFAULT_IMAGE, registry.hostAndPort(), repository, "latest",
                () -> {
                });
        String goodId = docker.inspectImageCmd(SandboxImage.DEFAULT_IMAGE).exec().getId();
        // The attacker moved the tag the containers run to an image of their own.
        Path ctx = Files.createTempDirectory("roma-evil");
        String running = "primary.invalid:5000/" + repository + ":latest";
        try {
            Files.writeString(ctx.resolve("Dockerfile"), "FROM " + SandboxImage.DEFAULT_IMAGE
                    + "\nLABEL io.romadr.test=" + repository + "\n");
            docker.buildImageCmd(ctx.toFile()).withTags(Set.of(running)).withPull(false).start().awaitImageId();
            assertNotEquals(goodId, docker.inspectImageCmd(running).exec().getId());
            String registryDigest = new io.romadr.activities.registry.RegistryClient(registry.url(),
                    io.romadr.activities.registry.RegistryCredentials.NONE).manifestDigest(repository, "latest")
                    .orElseThrow();

            ImageBackupSpec images = new ImageBackupSpec(new RegistryEndpoint("http://primary.invalid:5000", null,
                    null), new RegistryEndpoint(registry.url().toString(), null, null), List.of(repository), null,
                    null, null);
            KnownGoodImages staged = activities.stageKnownGoodImages(new KnownGoodImagesRequest(images,
                    List.of(running)));
            KnownGoodImage image = staged.images().get(0);
            assertEquals(registryDigest, image.digest());
            assertEquals(registry.hostAndPort() + "/" + repository + "@" + registryDigest, image.pulled());
            assertEquals(goodId, image.imageId());
            assertEquals(goodId, docker.inspectImageCmd(running).exec().getId());

            // An image the plan does not back up has no known-good digest: refused, nothing pulled.
            ApplicationFailure unknown = assertThrows(ApplicationFailure.class, () -> activities
                    .stageKnownGoodImages(new KnownGoodImagesRequest(images, List.of("other/thing:latest"))));
            assertEquals("NoKnownGoodImage", unknown.getType());
        } finally {
            for (String ref : List.of(running, registry.hostAndPort() + "/" + repository + ":latest")) {
                try {
                    docker.removeImageCmd(ref).withForce(true).exec();
                } catch (RuntimeException ignored) {
                    // cleanup only
                }
            }
            try (Stream<Path> walk = Files.walk(ctx)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
