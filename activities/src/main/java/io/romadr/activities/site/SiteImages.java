package io.romadr.activities.site;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import io.romadr.activities.registry.ImageName;
import io.romadr.activities.registry.RegistryClient;
import io.romadr.plan.ImageBackupSpec;
import io.romadr.plan.RegistryEndpoint;
import io.romadr.scenario.siteloss.ImagePullResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Seed step 3, "docker pull company-registry/roma-builder:latest": each template image whose repository the plan backs
 * up comes from the primary registry when it has the tag, else from the backup registry (the image mirror keeps the
 * same repository and tag there). The docker provider pulls it onto the local engine; for aws only the choice is made
 * (the plan's start commands pull on the instance, told the registry by {@code ROMA_DR_REGISTRY}).
 */
final class SiteImages {
    private final DockerClient docker;
    private final Function<String, String> env;

    SiteImages(DockerClient docker, Function<String, String> env) {
        this.docker = docker;
        this.env = env;
    }

    ImagePullResult resolve(ImageBackupSpec spec, List<String> templateImages, boolean pull, Runnable heartbeat)
            throws IOException {
        Map<String, String> resolved = new LinkedHashMap<>();
        Set<String> registries = new LinkedHashSet<>();
        List<String> notes = new ArrayList<>();
        for (String image : templateImages) {
            ImageName name = ImageName.parse(image);
            if (spec == null || !spec.repositories().contains(name.repository())) {
                resolved.put(image, image);
                registries.add("as named");
                if (pull && !onEngine(image)) {
                    pull(image, null, heartbeat);
                } else if (pull) {
                    notes.add(image + " already on the engine");
                }
                continue;
            }
            RegistryEndpoint from = spec.primary();
            String role = "primary";
            String problem = missing(spec.primary(), "primary", name);
            if (problem != null) {
                notes.add("primary " + spec.primary().url() + ": " + problem);
                String backupProblem = missing(spec.backup(), "backup", name);
                if (backupProblem != null) {
                    throw new IOException(name.repository() + ":" + name.tag() + " is in neither registry: primary "
                            + problem + "; backup " + spec.backup().url() + ": " + backupProblem);
                }
                from = spec.backup();
                role = "backup";
            }
            String ref = RegistryClient.forEndpoint(from, role, env).hostAndPort() + "/" + name.repository() + ":"
                    + name.tag();
            if (pull) {
                pull(ref, from, heartbeat);
            }
            resolved.put(image, ref);
            registries.add(role);
        }
        String registry = registries.size() == 1 ? registries.iterator().next() : String.join("+", registries);
        return new ImagePullResult(resolved, registry, notes);
    }

    /** An image the plan does not back up may be a local one (no registry to pull it from): use it as it is. */
    private boolean onEngine(String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (RuntimeException absent) {
            return false;
        }
    }

    /** Null when the registry answers with the tag, else why not (unreachable, not there). */
    private String missing(RegistryEndpoint endpoint, String role, ImageName name) {
        try {
            Optional<String> digest = RegistryClient.forEndpoint(endpoint, role, env)
                    .manifestDigest(name.repository(), name.tag());
            return digest.isPresent() ? null : "has no " + name.repository() + ":" + name.tag();
        } catch (RuntimeException e) {
            return "unreachable (" + e.getMessage() + ")";
        }
    }

    /** Pulls {@code ref} onto the engine; with {@code from}, with its credentials for the registry {@code ref} names. */
    private void pull(String ref, RegistryEndpoint from, Runnable heartbeat) throws IOException {
        ImageName name = ImageName.parse(ref);
        String repository = ref.substring(0, ref.length() - name.tag().length() - 1);
        var cmd = docker.pullImageCmd(repository).withTag(name.tag());
        if (from != null && from.usernameEnv() != null) {
            cmd.withAuthConfig(new AuthConfig().withRegistryAddress(ref.substring(0, ref.indexOf('/')))
                    .withUsername(env.apply(from.usernameEnv())).withPassword(env.apply(from.passwordEnv())));
        }
        try (ResultCallback.Adapter<PullResponseItem> done = cmd.exec(new ResultCallback.Adapter<>())) {
            while (!done.awaitCompletion(5, TimeUnit.SECONDS)) {
                heartbeat.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted pulling " + ref, e);
        } catch (RuntimeException e) {
            throw new IOException("pulling " + ref + ": " + e.getMessage(), e);
        }
        try {
            docker.inspectImageCmd(ref).exec();
        } catch (RuntimeException e) {
            throw new IOException("pulled " + ref + " but the engine does not have it: " + e.getMessage(), e);
        }
    }
}
