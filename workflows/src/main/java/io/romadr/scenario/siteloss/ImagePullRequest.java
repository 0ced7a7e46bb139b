package io.romadr.scenario.siteloss;

import io.romadr.plan.ImageBackupSpec;
import java.util.List;

/**
 * Get the services' images to the server: each template image whose repository the plan backs up is pulled from the
 * primary registry, or from the backup registry when the primary does not answer; others as named.
 */
public record ImagePullRequest(SiteTarget target, ImageBackupSpec images, List<String> templateImages) {
    public ImagePullRequest {
        templateImages = List.copyOf(templateImages);
    }
}
