package io.romadr.activities.registry;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.PushResponseItem;
import com.github.dockerjava.api.model.ResponseItem;
import java.util.concurrent.TimeUnit;

/**
 * Where the local Docker engine is involved: tagging and pushing a freshly built image into a registry, pulling
 * one back on recovery. Progress messages drive the activity heartbeat.
 */
public final class EngineImages {
    private final DockerClient docker;

    public EngineImages(DockerClient docker) {
        this.docker = docker;
    }

    /** Tags {@code localImage} as {@code registry/repository:tag} and pushes it; returns that reference. */
    public String push(String localImage, String registryHostPort, String repository, String tag,
            Runnable heartbeat) throws InterruptedException {
        String remote = registryHostPort + "/" + repository;
        docker.tagImageCmd(localImage, remote, tag).exec();
        ResultCallback.Adapter<PushResponseItem> callback = progress("docker push " + remote + ":" + tag, heartbeat);
        docker.pushImageCmd(remote).withTag(tag).exec(callback);
        await(callback, "docker push " + remote + ":" + tag);
        return remote + ":" + tag;
    }

    /** Pulls {@code registry/repository:tag} into the engine. */
    public String pull(String registryHostPort, String repository, String tag, Runnable heartbeat)
            throws InterruptedException {
        return pull(registryHostPort, repository, tag, null, heartbeat);
    }

    /**
     * Pulls {@code registry/repository:tag} into the engine with {@code auth} (null: anonymous); {@code tag} may be a
     * digest ({@code sha256:...}), which the engine pulls as {@code registry/repository@sha256:...}.
     */
    public String pull(String registryHostPort, String repository, String tag, AuthConfig auth, Runnable heartbeat)
            throws InterruptedException {
        String remote = registryHostPort + "/" + repository;
        ResultCallback.Adapter<PullResponseItem> callback = progress("docker pull " + remote + ":" + tag, heartbeat);
        var cmd = docker.pullImageCmd(remote).withTag(tag);
        if (auth != null) {
            cmd.withAuthConfig(auth);
        }
        cmd.exec(callback);
        await(callback, "docker pull " + remote + ":" + tag);
        return remote + ":" + tag;
    }

    private static void await(ResultCallback.Adapter<?> callback, String what) throws InterruptedException {
        try {
            if (!callback.awaitCompletion(1, TimeUnit.HOURS)) {
                throw new RegistryException(what + " did not finish within an hour", -1);
            }
        } catch (RuntimeException e) {
            throw e instanceof RegistryException re
                    ? re
                    : new RegistryException(what + " failed: " + e.getMessage(), e);
        }
    }

    /** Heartbeats on every progress message of a push or pull; an error message fails {@code what}. */
    private static <T extends ResponseItem> ResultCallback.Adapter<T> progress(String what, Runnable heartbeat) {
        return new ResultCallback.Adapter<>() {
            @Override
            public void onNext(T item) {
                if (item.isErrorIndicated()) {
                    String error = item.getErrorDetail() != null
                            ? item.getErrorDetail().getMessage()
                            : item.getError();
                    onError(new RegistryException(what + ": " + error, -1));
                    return;
                }
                heartbeat.run();
            }
        };
    }
}
