package io.romadr.activities.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where backups live: a local directory (the embedded default) or an S3 bucket. Keys are {@code /}-separated
 * relative names (no leading {@code /}, no {@code ..} segment). Writes are atomic: a reader sees the whole object
 * or nothing.
 */
public interface ObjectStore extends AutoCloseable {

    /** For messages and reports, e.g. {@code file:/var/backups/roma-dr} or {@code s3://bucket/prefix}. */
    String location();

    /**
     * Starts a streaming upload of {@code key}; nothing is visible until {@link ObjectUpload#commit()}. Memory use
     * is bounded by the part size, not the object size. {@code onCheckpoint} is called after every durable part
     * (heartbeat it); passing the last checkpoint back as {@code resume} after a crash lets a store that keeps
     * partial uploads (S3 multipart) skip re-sending parts whose bytes come out identical. {@code resume} may be
     * null; a resume the store no longer knows starts over.
     */
    ObjectUpload startUpload(String key, UploadCheckpoint resume, Consumer<UploadCheckpoint> onCheckpoint)
            throws IOException;

    /** Atomically writes a small object (manifests). */
    void put(String key, byte[] content) throws IOException;

    /** Streams an object; {@link NoSuchObjectException} when absent. */
    InputStream open(String key) throws IOException;

    /** Reads a small object whole; {@link NoSuchObjectException} when absent. */
    default byte[] read(String key) throws IOException {
        try (InputStream in = open(key)) {
            return in.readAllBytes();
        }
    }

    Optional<ObjectInfo> stat(String key) throws IOException;

    /** Every committed object whose key starts with {@code prefix}, sorted by key. */
    List<ObjectInfo> list(String prefix) throws IOException;

    /** Deletes an object; deleting an absent key is not an error (retention retries). */
    void delete(String key) throws IOException;

    @Override
    default void close() throws IOException {
    }

    /** Rejects keys that could escape a directory or confuse a listing. */
    static String checkKey(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.endsWith("/") || key.contains("//")
                || key.contains("\\") || key.contains("\0")) {
            throw new IllegalArgumentException("invalid object key \"" + key + "\"");
        }
        for (String segment : key.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("invalid object key \"" + key + "\": \".\" or \"..\" segment");
            }
        }
        return key;
    }
}
