package io.romadr.activities.backup;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.heartbeat.Heartbeat;
import io.romadr.activities.heartbeat.HeartbeatTicker;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.corruption.ArtifactCheck;
import io.romadr.corruption.DataRecoveryActivities;
import io.romadr.corruption.ProducerRequest;
import io.romadr.corruption.QuarantineRequest;
import io.romadr.corruption.QuarantineResult;
import io.romadr.corruption.ValidateArtifactsRequest;
import io.romadr.corruption.ValidateBackupRequest;
import io.romadr.plan.BackupStore;
import io.romadr.recovery.ActionResult;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * {@link DataRecoveryActivities} on a Docker engine and an object store: the work is {@link DataRecoveryOperations};
 * this class heartbeats about every second (from a {@link HeartbeatTicker}, so a slow engine or store does not look
 * like a dead worker) and turns errors into failures: refusals (missing or broken schema, missing path) are
 * non-retryable, I/O and engine errors retryable. Called outside an activity (tests, tools) it just does the work.
 * {@code stores} opens the store a request names (e.g. {@code ObjectStores::open}); a request's schema path is
 * relative to {@code plansDir} (absolute paths are used as they are).
 */
public class DockerDataRecoveryActivities implements DataRecoveryActivities {
    private final DataRecoveryOperations operations;

    public DockerDataRecoveryActivities(DockerClient docker, Function<BackupStore, ObjectStore> stores,
            Path plansDir) {
        this.operations = new DataRecoveryOperations(docker, stores, plansDir);
    }

    @Override
    public ArtifactCheck validateArtifacts(ValidateArtifactsRequest request) {
        try (HeartbeatTicker ticker = HeartbeatTicker.forCurrentActivity()) {
            return operations.validateArtifacts(request, ticker);
        } catch (IOException | RuntimeException e) {
            throw failure("validating the artifacts in " + request.project() + "/" + request.service() + ":"
                    + request.path(), e);
        }
    }

    @Override
    public ArtifactCheck validateBackup(ValidateBackupRequest request) {
        try (HeartbeatTicker ticker = HeartbeatTicker.forCurrentActivity()) {
            return operations.validateBackup(request, ticker);
        } catch (IOException | RuntimeException e) {
            throw failure("validating the artifacts in backup " + request.manifest().objectKey(), e);
        }
    }

    @Override
    public QuarantineResult quarantine(QuarantineRequest request) {
        ActivityExecutionContext ctx = Heartbeat.currentContext();
        String workflowId = ctx == null ? null : ctx.getInfo().getWorkflowId();
        try (HeartbeatTicker ticker = HeartbeatTicker.forCurrentActivity()) {
            return operations.quarantine(request, workflowId, ticker);
        } catch (IOException | RuntimeException e) {
            throw failure("quarantining artifacts of " + request.project() + "/" + request.service() + ":"
                    + request.path() + " as " + request.objectKey(), e);
        }
    }

    @Override
    public ActionResult stopProducer(ProducerRequest request) {
        try (HeartbeatTicker ticker = HeartbeatTicker.forCurrentActivity()) {
            return operations.stopProducer(request, attempt());
        } catch (RuntimeException e) {
            throw failure("stopping producer " + request.project() + "/" + request.service(), e);
        }
    }

    @Override
    public ActionResult startProducer(ProducerRequest request) {
        try (HeartbeatTicker ticker = HeartbeatTicker.forCurrentActivity()) {
            return operations.startProducer(request, attempt());
        } catch (RuntimeException e) {
            throw failure("starting producer " + request.project() + "/" + request.service(), e);
        }
    }

    private static int attempt() {
        ActivityExecutionContext ctx = Heartbeat.currentContext();
        return ctx == null ? 1 : Math.max(1, ctx.getInfo().getAttempt());
    }

    private static RuntimeException failure(String what, Exception e) {
        return BackupFailures.failure(what, e, "DataRecoveryIOError");
    }
}
