package io.romadr.activities.registry;

import io.romadr.activities.digest.Sha256;
import io.romadr.activities.stream.SingleByteRead;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes what passes through and fails when the content is not the expected digest and size. When the size is known
 * the check runs before the last bytes are handed on, so a consumer that is uploading them never gets a complete
 * wrong body; otherwise it runs at end of stream.
 */
final class VerifyingInputStream extends FilterInputStream {
    private final String what;
    private final String expectedDigest;
    private final long expectedSize;
    private final MessageDigest sha = Sha256.newDigest();
    private final Runnable progress;
    private long count;
    private long sinceProgress;
    private boolean verified;

    /** {@code expectedSize} < 0 means unknown. {@code progress} runs about every 8 MiB (the activity heartbeat). */
    VerifyingInputStream(InputStream in, String what, String expectedDigest, long expectedSize, Runnable progress) {
        super(in);
        this.what = what;
        this.expectedDigest = expectedDigest;
        this.expectedSize = expectedSize;
        this.progress = progress;
    }

    long count() {
        return count;
    }

    /** True when nothing was read yet and this stream checks exactly {@code blob}'s digest and size. */
    boolean verifiesFromStart(Descriptor blob) {
        return count == 0 && !verified && expectedDigest.equals(blob.digest()) && expectedSize == blob.size();
    }

    @Override
    public int read() throws IOException {
        return SingleByteRead.read(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            if (!verified) {
                if (expectedSize >= 0 && count != expectedSize) {
                    throw new DigestMismatchException(what + " ended after " + count + " of " + expectedSize
                            + " bytes", expectedDigest, Digests.of(sha));
                }
                check();
            }
            return -1;
        }
        if (n == 0) {
            return 0;
        }
        sha.update(b, off, n);
        count += n;
        if (expectedSize >= 0 && count > expectedSize) {
            throw new DigestMismatchException(what + " is longer than its " + expectedSize + " bytes",
                    expectedDigest, "(unknown, too long)");
        }
        if (expectedSize >= 0 && count == expectedSize) {
            check(); // before handing on the last bytes
        }
        sinceProgress += n;
        if (sinceProgress >= 8L << 20) {
            sinceProgress = 0;
            progress.run();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skipping would leave bytes unhashed");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void check() throws DigestMismatchException {
        verified = true;
        String actual = Digests.of(sha);
        if (!actual.equals(expectedDigest)) {
            throw new DigestMismatchException(what, expectedDigest, actual);
        }
    }
}
