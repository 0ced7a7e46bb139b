package io.romadr.scenario.siteloss;

import io.romadr.plan.GitBackupSpec;

/**
 * Put the source tree of {@code branch} into the server's {@code appDir}, from the first remote that answers: the
 * primary, then each backup in plan order.
 */
public record SourceRequest(SiteTarget target, GitBackupSpec git, String branch) {
}
