package io.romadr.worker.host;

import com.codahale.metrics.health.HealthCheck;
import com.github.dockerjava.api.DockerClient;
import io.romadr.plan.PlanException;
import io.romadr.plan.PlanRepository;
import io.romadr.plan.RecoveryPlan;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The worker host's health checks, at {@code /healthcheck} on the admin port. */
final class HostHealthChecks {
    private HostHealthChecks() {}

    /** Temporal answers a GetSystemInfo round trip within 5 s. */
    static final class Temporal extends HealthCheck {
        private final TemporalWorkerManaged temporal;

        Temporal(TemporalWorkerManaged temporal) {
            this.temporal = temporal;
        }

        @Override
        protected Result check() {
            try {
                var info = temporal.service().blockingStub().withDeadlineAfter(5, TimeUnit.SECONDS)
                        .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
                return Result.healthy("%s namespace=%s server=%s", temporal.address(), temporal.namespace(),
                        info.getServerVersion().isEmpty() ? "unknown version" : info.getServerVersion());
            } catch (RuntimeException e) {
                return Result.unhealthy("Temporal at %s: %s", temporal.address(), e.getMessage());
            }
        }
    }

    /** The Docker engine answers a ping. */
    static final class Docker extends HealthCheck {
        private final DockerClient docker;

        Docker(DockerClient docker) {
            this.docker = docker;
        }

        @Override
        protected Result check() {
            try {
                docker.pingCmd().exec();
                return Result.healthy();
            } catch (RuntimeException e) {
                return Result.unhealthy("Docker engine: %s", e.getMessage());
            }
        }
    }

    /** At least one plan, and every plan in the directory still valid (they are re-read on each recovery). */
    static final class Plans extends HealthCheck {
        private final PlanRepository plans;

        Plans(PlanRepository plans) {
            this.plans = plans;
        }

        @Override
        protected Result check() {
            try {
                Map<String, RecoveryPlan> loaded = plans.loadAll();
                return loaded.isEmpty()
                        ? Result.unhealthy("no plans in %s", plans.directory())
                        : Result.healthy("%d plan(s): %s", loaded.size(), loaded.keySet());
            } catch (PlanException e) {
                return Result.unhealthy(e.getMessage());
            }
        }
    }
}
