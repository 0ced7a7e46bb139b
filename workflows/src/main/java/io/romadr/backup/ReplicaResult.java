package io.romadr.backup;

/**
 * The replication of one backup to the plan's replica store, as its backup report shows it: {@code ok} when the
 * copy in {@code store} ({@code region}) was read back with the primary's SHA-256; otherwise {@code problem} says why
 * not. The primary backup is good either way (the run succeeds); the weekly verification keeps checking the replica.
 */
public record ReplicaResult(String store, String region, String objectKey, boolean ok, boolean copied,
        String sha256, String problem) {

    /** One line for reports and summaries. */
    public String describe() {
        String where = store + " (" + region + ")";
        return ok
                ? "replicated to " + where + ", sha256 " + sha256 + " verified" + (copied ? "" : " (already there)")
                : "NOT replicated to " + where + ": " + problem;
    }
}
