package io.romadr.backup;

/**
 * The newest shipped log object of a service: lines up to {@code cutoff} (epoch ms) are in the store; 0 and an
 * empty key when nothing was shipped yet.
 */
public record LogCutoff(String service, long cutoff, String objectKey) {
    public LogCutoff {
        objectKey = objectKey == null ? "" : objectKey;
    }

    public boolean none() {
        return cutoff <= 0;
    }
}
