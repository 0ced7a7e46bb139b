package io.romadr.worker.host;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheck.Result;
import com.github.dockerjava.api.DockerClient;
import io.romadr.plan.PlanRepository;
import io.romadr.plan.RecoveryPlan;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The worker host's health checks, at {@code /healthcheck} on the admin port. Each is a probe of one system; a probe
 * that throws makes the check unhealthy with what was probed and why.
 */
final class HostHealthChecks {
    private HostHealthChecks() {
    }

    /** Temporal answers a GetSystemInfo round trip within 5 s. */
    static HealthCheck temporal(TemporalWorkerManaged temporal) {
        // the address is read when checked: an embedded server's is known only once the host has started
        return probe(() -> "Temporal at " + temporal.address(), () -> {
            var info = temporal.service().blockingStub().withDeadlineAfter(5, TimeUnit.SECONDS)
                    .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
            return Result.healthy("%s namespace=%s server=%s", temporal.address(), temporal.namespace(),
                    info.getServerVersion().isEmpty() ? "unknown version" : info.getServerVersion());
        });
    }

    /** The Docker engine answers a ping. */
    static HealthCheck docker(DockerClient docker) {
        return probe(() -> "Docker engine", () -> {
            docker.pingCmd().exec();
            return Result.healthy();
        });
    }

    /** At least one plan, and every plan in the directory still valid (they are re-read on each recovery). */
    static HealthCheck plans(PlanRepository plans) {
        return probe(() -> "plans in " + plans.directory(), () -> {
            Map<String, RecoveryPlan> loaded = plans.loadAll();
            return loaded.isEmpty()
                    ? Result.unhealthy("no plans in %s", plans.directory())
                    : Result.healthy("%d plan(s): %s", loaded.size(), loaded.keySet());
        });
    }

    private static HealthCheck probe(Supplier<String> what, Supplier<Result> probe) {
        return new HealthCheck() {
            @Override
            protected Result check() {
                try {
                    return probe.get();
                } catch (RuntimeException e) {
                    return Result.unhealthy("%s: %s", what.get(), e.getMessage());
                }
            }
        };
    }
}
