package io.romadr.backup;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The last good git mirror of a plan, kept in the plan's backup store as {@code git/<plan>/last-mirror.json}: the
 * primary's refs every backup was made equal to. Scenario 4 takes its known-good commits from it, so it outlives
 * Temporal's history retention.
 */
@ActivityInterface
public interface GitMirrorRecordActivities {
    /** Overwrites the record (atomically, as every store write); idempotent. */
    @ActivityMethod
    void recordGitMirror(RecordGitMirrorRequest request);

    /** The record, or null when the plan was never mirrored into this store. */
    @ActivityMethod
    GitMirrorRecord lastGitMirror(LastGitMirrorRequest request);
}
