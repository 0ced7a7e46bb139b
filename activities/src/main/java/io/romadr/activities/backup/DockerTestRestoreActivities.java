package io.romadr.activities.backup;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.heartbeat.HeartbeatTicker;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.verify.HttpProbe;
import io.romadr.backup.TestRestoreActivities;
import io.romadr.backup.TestRestoreRequest;
import io.romadr.backup.TestRestoreResult;
import io.romadr.plan.BackupStore;
import io.temporal.activity.Activity;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * {@link TestRestoreActivities} on a Docker engine: the work is {@link TestRestoreOperations}; this class heartbeats
 * (about every second, see {@link HeartbeatTicker}) and turns errors into failures. A snapshot that fails
 * verification, a missing service container or an unhealthy sandbox are results (ok=false), not failures; refusals
 * (bad sandbox name or path) are non-retryable, I/O and engine errors retryable (the retry first removes the
 * sandbox an earlier attempt left). {@code stores} opens the object store a request names (e.g.
 * {@code ObjectStores::open}).
 */
public class DockerTestRestoreActivities implements TestRestoreActivities {
    private final TestRestoreOperations operations;
    private final BackupActivityCalls calls = new BackupActivityCalls("TestRestoreIOError");

    public DockerTestRestoreActivities(DockerClient docker, Function<BackupStore, ObjectStore> stores) {
        this(new TestRestoreOperations(docker, stores, new HttpProbe(), TestRestoreOperations.defaultWorkRoot()));
    }

    public DockerTestRestoreActivities(DockerClient docker, Function<BackupStore, ObjectStore> stores, Path workRoot) {
        this(new TestRestoreOperations(docker, stores, new HttpProbe(), workRoot));
    }

    DockerTestRestoreActivities(TestRestoreOperations operations) {
        this.operations = operations;
    }

    @Override
    public TestRestoreResult testRestore(TestRestoreRequest request) {
        return calls.ticking(Activity.getExecutionContext(), null, () -> "test restore of "
                + request.manifest().objectKey() + " in sandbox " + request.sandboxName(),
                hb -> operations.testRestore(request, hb));
    }
}
