package io.romadr.activities.stream;

import java.io.IOException;
import java.io.InputStream;

/**
 * The one-byte {@code read()} of a stream whose checks live in its array read: it goes through that read, so no
 * byte can pass around the checks.
 */
public final class SingleByteRead {
    private SingleByteRead() {
    }

    public static int read(InputStream in) throws IOException {
        byte[] one = new byte[1];
        int n = in.read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }
}
