package io.romadr.backup;

/** What a prune deleted: {@code objects} log objects (each with its manifest). */
public record PrunedLogs(int objects) {
}
