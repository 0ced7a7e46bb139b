package io.romadr.activities.security;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Container;
import io.romadr.activities.FailureMessages;
import io.romadr.activities.docker.ComposeContainerFinder;
import io.romadr.activities.heartbeat.HeartbeatTicker;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.registry.EngineImages;
import io.romadr.activities.registry.ImageName;
import io.romadr.activities.registry.RegistryClient;
import io.romadr.plan.BackupStore;
import io.romadr.plan.ImageBackupSpec;
import io.romadr.plan.SecuritySpec;
import io.romadr.scenario.security.ContainRequest;
import io.romadr.scenario.security.ContainResult;
import io.romadr.scenario.security.EvidenceManifest;
import io.romadr.scenario.security.EvidenceRequest;
import io.romadr.scenario.security.IncidentAssessRequest;
import io.romadr.scenario.security.IncidentAssessment;
import io.romadr.scenario.security.IncidentContainer;
import io.romadr.scenario.security.KnownGoodImage;
import io.romadr.scenario.security.KnownGoodImages;
import io.romadr.scenario.security.KnownGoodImagesRequest;
import io.romadr.scenario.security.SecurityIncidentActivities;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The security incident on the Docker engine (assess, contain, the evidence it reads) and the backup registry (the
 * known-good digests). Every method looks before it acts: a retry after a worker crash finds what an earlier attempt
 * did and says so.
 */
public class DockerSecurityIncidentActivities implements SecurityIncidentActivities {
    private final DockerClient docker;
    private final ComposeContainerFinder finder;
    private final IncidentEvidence evidence;
    private final EngineImages engineImages;
    private final Function<String, String> env;

    public DockerSecurityIncidentActivities(DockerClient docker, Function<BackupStore, ObjectStore> stores,
            Function<String, String> env) {
        this.docker = docker;
        this.finder = new ComposeContainerFinder(docker);
        this.evidence = new IncidentEvidence(docker, stores);
        this.engineImages = new EngineImages(docker);
        this.env = env;
    }

    @Override
    public IncidentAssessment assessIncident(IncidentAssessRequest request) {
        String project = request.service().composeProject();
        List<IncidentContainer> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String service : request.targets()) {
            List<Container> containers = finder.current(project, service);
            if (containers.isEmpty()) {
                missing.add(service);
            }
            for (Container c : containers) {
                InspectContainerResponse i = finder.inspect(c.getId());
                if (i != null) {
                    found.add(describe(service, i));
                }
            }
        }
        return new IncidentAssessment(found, missing);
    }

    private IncidentContainer describe(String service, InspectContainerResponse i) {
        List<String> digests = List.of();
        try {
            InspectImageResponse image = docker.inspectImageCmd(i.getImageId()).exec();
            digests = image.getRepoDigests() == null ? List.of() : image.getRepoDigests();
        } catch (NotFoundException e) {
            // the image was removed under a running container: no digests to report
        }
        Map<String, ?> networks = i.getNetworkSettings() == null || i.getNetworkSettings().getNetworks() == null
                ? Map.of()
                : i.getNetworkSettings().getNetworks();
        return new IncidentContainer(service, i.getId(), ComposeContainerFinder.bare(i.getName()),
                i.getState().getStatus(), i.getConfig().getImage(), i.getImageId(), digests,
                List.copyOf(networks.keySet()));
    }

    @Override
    public ContainResult contain(ContainRequest request) {
        List<String> actions = new ArrayList<>();
        boolean changed = false;
        try (HeartbeatTicker hb = HeartbeatTicker.forCurrentActivity()) {
            for (IncidentContainer c : request.containers()) {
                hb.beat(List.copyOf(actions));
                InspectContainerResponse now = finder.inspect(c.containerId());
                if (now == null) {
                    actions.add(c.name() + " is gone");
                    continue;
                }
                if (SecuritySpec.STOP.equals(request.mode())) {
                    if (Boolean.TRUE.equals(now.getState().getRunning())) {
                        docker.stopContainerCmd(c.containerId())
                                .withTimeout((int) request.stopTimeout().toSeconds()).exec();
                        actions.add(c.name() + " stopped");
                        changed = true;
                    } else {
                        actions.add(c.name() + " already stopped (" + now.getState().getStatus() + ")");
                    }
                    continue;
                }
                Map<String, ?> connected = now.getNetworkSettings() == null
                        || now.getNetworkSettings().getNetworks() == null
                                ? Map.of()
                                : now.getNetworkSettings().getNetworks();
                for (String network : c.networks()) {
                    if (connected.containsKey(network)) {
                        docker.disconnectFromNetworkCmd().withContainerId(c.containerId()).withNetworkId(network)
                                .withForce(true).exec();
                        actions.add(c.name() + " disconnected from " + network);
                        changed = true;
                    } else {
                        actions.add(c.name() + " already off " + network);
                    }
                }
            }
        }
        return new ContainResult(changed, actions);
    }

    @Override
    public EvidenceManifest preserveEvidence(EvidenceRequest request) {
        try (HeartbeatTicker hb = HeartbeatTicker.forCurrentActivity()) {
            return evidence.preserve(request, hb);
        } catch (IOException e) {
            throw ApplicationFailure.newFailure(FailureMessages.bounded("keeping the evidence in "
                    + request.store().uri() + ": " + e.getMessage()), "EvidenceStore");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApplicationFailure.newFailure("interrupted while keeping the evidence", "Interrupted");
        }
    }

    @Override
    public KnownGoodImages stageKnownGoodImages(KnownGoodImagesRequest request) {
        ImageBackupSpec spec = request.backup();
        RegistryClient backup = RegistryClient.forEndpoint(spec.backup(), "backup", env);
        List<KnownGoodImage> staged = new ArrayList<>();
        try (HeartbeatTicker hb = HeartbeatTicker.forCurrentActivity()) {
            for (String image : request.images()) {
                hb.beat(image);
                staged.add(stage(spec, backup, image, () -> hb.beat(image)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApplicationFailure.newFailure("interrupted while pulling the known-good images", "Interrupted");
        }
        return new KnownGoodImages(spec.backup().url(), staged);
    }

    private KnownGoodImage stage(ImageBackupSpec spec, RegistryClient backup, String image, Runnable heartbeat)
            throws InterruptedException {
        if (image.contains("@")) {
            throw ApplicationFailure.newNonRetryableFailure(image + " is pinned to a digest the attacker may have "
                    + "chosen; name the image by tag so the backup registry's digest can replace it", "ImageByDigest");
        }
        ImageName name = ImageName.parse(image);
        if (!spec.repositories().contains(name.repository())) {
            throw ApplicationFailure.newNonRetryableFailure(image + ": the plan's backup.images does not back up "
                    + name.repository() + " " + spec.repositories() + ", so there is no known-good digest for it",
                    "NoKnownGoodImage");
        }
        Optional<String> digest = backup.manifestDigest(name.repository(), name.tag());
        if (digest.isEmpty()) {
            throw ApplicationFailure.newNonRetryableFailure("the backup registry " + spec.backup().url() + " has no "
                    + name.repository() + ":" + name.tag(), "NoKnownGoodImage");
        }
        AuthConfig auth = spec.backup().usernameEnv() == null
                ? null
                : new AuthConfig().withRegistryAddress(backup.hostAndPort())
                        .withUsername(env.apply(spec.backup().usernameEnv()))
                        .withPassword(env.apply(spec.backup().passwordEnv()));
        String pulled = backup.hostAndPort() + "/" + name.repository() + "@" + digest.get();
        engineImages.pull(backup.hostAndPort(), name.repository(), digest.get(), auth, heartbeat);
        String imageId = docker.inspectImageCmd(pulled).exec().getId();
        // The containers name the image by tag: that tag now means the known-good build.
        docker.tagImageCmd(imageId, ImageName.withoutTag(image), name.tag()).withForce(true).exec();
        String tagged = docker.inspectImageCmd(image).exec().getId();
        if (!imageId.equals(tagged)) {
            throw ApplicationFailure.newFailure(image + " is " + tagged + " after tagging it as " + imageId,
                    "TagMismatch");
        }
        return new KnownGoodImage(image, digest.get(), pulled, imageId);
    }
}
