package io.romadr.activities.objectstore;

import io.romadr.activities.digest.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * One object copied from one store to another as stored (bytes, never decoded), streamed through a bounded buffer:
 * memory use is the upload's part size whatever the object's size. The copy is committed only when what was read
 * has the SHA-256 the caller expects, so the target never holds bytes the caller did not mean to copy.
 */
public final class ObjectCopy {
    private static final int BUFFER = 64 * 1024;

    private ObjectCopy() {
    }

    /** The stored object: its key, size and SHA-256. */
    public record Copied(ObjectInfo info, String sha256) {
    }

    /**
     * Copies {@code key} from {@code from} to {@code to} (same key). {@code resume} and {@code onCheckpoint} as in
     * {@link ObjectStore#startUpload}; {@code progress} receives the bytes read so far (heartbeat it). Throws
     * {@link DigestMismatchException} (nothing committed) when the bytes read do not have {@code expectedSha256}.
     */
    public static Copied copy(ObjectStore from, ObjectStore to, String key, String expectedSha256,
            UploadCheckpoint resume, Consumer<UploadCheckpoint> onCheckpoint, LongConsumer progress)
            throws IOException {
        MessageDigest sha = Sha256.newDigest();
        long read = 0;
        try (InputStream in = new DigestInputStream(from.open(key), sha);
                ObjectUpload upload = to.startUpload(key, resume, onCheckpoint)) {
            try {
                byte[] buffer = new byte[BUFFER];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    upload.write(buffer, 0, n);
                    read += n;
                    progress.accept(read);
                }
            } catch (IOException | RuntimeException e) {
                upload.abandon(); // keeps uploaded parts (S3) for the retry's resume
                throw e;
            }
            String actual = Sha256.hex(sha);
            if (!actual.equalsIgnoreCase(expectedSha256)) {
                upload.abort();
                throw new DigestMismatchException(from.location() + "/" + key + " has sha256 "
                        + Sha256.abbrev(actual) + ", expected " + Sha256.abbrev(expectedSha256)
                        + "; nothing was copied");
            }
            ObjectInfo info = upload.commit();
            if (info.size() != read) {
                throw new IOException("store " + to.location() + " holds " + info.size() + " bytes at " + key + ", "
                        + read + " were written");
            }
            return new Copied(info, actual);
        }
    }

    /** The SHA-256 of {@code key} in {@code store}, streamed ({@code progress}: bytes read); empty when absent. */
    public static Optional<String> digest(ObjectStore store, String key, LongConsumer progress) throws IOException {
        if (store.stat(key).isEmpty()) {
            return Optional.empty();
        }
        MessageDigest sha = Sha256.newDigest();
        long read = 0;
        try (InputStream in = new DigestInputStream(store.open(key), sha)) {
            byte[] buffer = new byte[BUFFER];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                read += n;
                progress.accept(read);
            }
        }
        return Optional.of(Sha256.hex(sha));
    }

    /** The source's bytes are not the ones the caller expected: a copy would spread them. Not worth a retry. */
    public static final class DigestMismatchException extends IOException {
        public DigestMismatchException(String message) {
            super(message);
        }
    }
}
