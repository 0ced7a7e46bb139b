package io.romadr.backup;

/**
 * What a run did for one service: the range {@code from < t <= to} (epoch ms) it shipped to {@code objectKey} with
 * {@code lines} lines ({@code found}: already stored by an earlier attempt), or why not ({@code problem}).
 */
public record LogShipment(String service, long from, long to, String objectKey, long lines, long sizeBytes,
        boolean found, String problem) {
    public LogShipment {
        objectKey = objectKey == null ? "" : objectKey;
        problem = problem == null ? "" : problem;
    }

    public boolean ok() {
        return problem.isEmpty();
    }
}
