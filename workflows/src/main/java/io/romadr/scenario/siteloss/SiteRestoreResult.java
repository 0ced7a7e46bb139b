package io.romadr.scenario.siteloss;

/**
 * A backup restored onto the new server: which, into which server directory, how much, and which attempt of the
 * activity did it (2 or more: an earlier one was interrupted; the restore is whole-or-nothing, so it started over).
 */
public record SiteRestoreResult(String objectKey, String target, long entries, long bytes, String detail,
        int attempt) {
}
