package io.romadr.scenario.siteloss;

import io.romadr.plan.CommandStep;

/**
 * Run one plan command on the server ({@code workdir} defaults to {@code defaultWorkdir}); {@code key} lets a
 * provider find a command it already sent. A non-zero exit fails the activity (and so is retried).
 */
public record ServerCommandRequest(SiteTarget target, CommandStep step, String defaultWorkdir, String key) {
}
