package io.romadr.backup;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** Container image backups through the registries' HTTP API (OCI distribution). Long methods heartbeat. */
@ActivityInterface
public interface ImageMirrorActivities {
    /**
     * Copies the plan's tags of one repository from the primary to the backup registry (manifests, image indexes,
     * blobs; blobs the backup has are not sent; digests verified both ways), then adds the extra tags: the
     * timestamp tag when no timestamp tag of the backup names this image yet, and the release tag. The request's
     * pushed tags (registry events) are copied as themselves too.
     */
    @ActivityMethod
    ImageMirrorResult mirrorRepository(ImageMirrorRequest request);

    /** Keeps the newest {@code keepPerFamily} timestamp tags; never deletes an image a kept tag still names. */
    @ActivityMethod
    ImageRetentionResult applyImageRetention(ImageRetentionRequest request);

    /**
     * Verification rows per repository: {@code freshness} (every plan tag in the backup names the primary's
     * digest; STALE otherwise, MISSING when absent) and {@code integrity} (every manifest and blob those tags
     * reference is present in the backup registry; CORRUPT otherwise).
     */
    @ActivityMethod
    List<VerificationRow> checkImages(ImageCheckRequest request);
}
