package io.romadr.backup;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The weekly verification's test restore: a snapshot proven by running it, without touching the live service. */
@ActivityInterface
public interface TestRestoreActivities {
    /**
     * Reads the snapshot back (checksum, safe entries), starts a throwaway container from the live service's image
     * with the snapshot extracted at the plan's path (ports published on 127.0.0.1 ephemeral ports), runs the
     * plan's health checks against it until healthy or {@code waitHealthy} passes, and removes the container
     * (also when anything failed). Idempotent: a container left by an earlier attempt is removed first.
     */
    @ActivityMethod
    TestRestoreResult testRestore(TestRestoreRequest request);
}
