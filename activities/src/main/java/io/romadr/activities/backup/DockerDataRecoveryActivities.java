package io.romadr.activities.backup;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.heartbeat.Heartbeat;
import io.romadr.activities.heartbeat.HeartbeatTicker;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.scenario.datacorruption.ArtifactCheck;
import io.romadr.scenario.datacorruption.DataRecoveryActivities;
import io.romadr.scenario.datacorruption.ProducerRequest;
import io.romadr.scenario.datacorruption.QuarantineRequest;
import io.romadr.scenario.datacorruption.QuarantineResult;
import io.romadr.scenario.datacorruption.ValidateArtifactsRequest;
import io.romadr.scenario.datacorruption.ValidateBackupRequest;
import io.romadr.plan.BackupStore;
import io.romadr.scenario.servicefailure.ActionResult;
import io.temporal.activity.ActivityExecutionContext;
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
    private final BackupActivityCalls calls = new BackupActivityCalls("DataRecoveryIOError");

    public DockerDataRecoveryActivities(DockerClient docker, Function<BackupStore, ObjectStore> stores,
            Path plansDir) {
        this.operations = new DataRecoveryOperations(docker, stores, plansDir);
    }

    @Override
    public ArtifactCheck validateArtifacts(ValidateArtifactsRequest request) {
        return calls.ticking(() -> "validating the artifacts in " + request.project() + "/" + request.service() + ":"
                + request.path(),
                ticker -> operations.validateArtifacts(request, ticker));
    }

    @Override
    public ArtifactCheck validateBackup(ValidateBackupRequest request) {
        return calls.ticking(() -> "validating the artifacts in backup " + request.manifest().objectKey(),
                ticker -> operations.validateBackup(request, ticker));
    }

    @Override
    public QuarantineResult quarantine(QuarantineRequest request) {
        ActivityExecutionContext ctx = Heartbeat.currentContext();
        String workflowId = ctx == null ? null : ctx.getInfo().getWorkflowId();
        return calls.ticking(() -> "quarantining artifacts of " + request.project() + "/" + request.service() + ":"
                + request.path() + " as " + request.objectKey(),
                ticker -> operations.quarantine(request, workflowId, ticker));
    }

    @Override
    public ActionResult stopProducer(ProducerRequest request) {
        return calls.ticking(() -> "stopping producer " + request.project() + "/" + request.service(),
                ticker -> operations.stopProducer(request, attempt()));
    }

    @Override
    public ActionResult startProducer(ProducerRequest request) {
        return calls.ticking(() -> "starting producer " + request.project() + "/" + request.service(),
                ticker -> operations.startProducer(request, attempt()));
    }

    private static int attempt() {
        ActivityExecutionContext ctx = Heartbeat.currentContext();
        return ctx == null ? 1 : Math.max(1, ctx.getInfo().getAttempt());
    }
}
