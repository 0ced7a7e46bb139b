package io.romadr.activities.backup;

/**
 * Where {@link BackupOperations} reports progress: the activity heartbeats it (and throws when the activity is
 * cancelled or timed out); outside Temporal it can be a no-op or a log line. Called often; implementations throttle.
 */
@FunctionalInterface
public interface Heartbeat {
    Heartbeat NONE = details -> { };

    void beat(Object details);
}
