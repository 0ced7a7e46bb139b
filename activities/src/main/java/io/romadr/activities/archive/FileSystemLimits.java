package io.romadr.activities.archive;

import io.romadr.activities.FailureMessages;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;

/**
 * What a Linux file system and this JVM can hold, checked on names before anything is written, so an archive that
 * cannot be extracted is refused while scanning (before a service is stopped) rather than failing half-way through.
 * Limits are those of every file system a Docker host uses for volumes (ext4, xfs, btrfs, overlayfs, tmpfs):
 * a name component of at most {@value #NAME_MAX} bytes, a whole path of at most {@value #PATH_MAX} bytes including
 * its terminating NUL, at most {@value #LINK_MAX} hard links to one file (ext4's limit, the smallest of them). Names
 * must be valid UTF-8 in the archive (an invalid byte decodes to U+FFFD, and extracting would silently rename the
 * file) and encodable in the JVM's file-name charset ({@code sun.jnu.encoding}: with a C locale only ASCII is).
 */
public final class FileSystemLimits {
    public static final int NAME_MAX = 255;
    public static final int PATH_MAX = 4096;
    public static final int LINK_MAX = 65_000;

    private static final Charset FILE_NAMES = fileNameCharset();

    private FileSystemLimits() {
    }

    /**
     * Refuses {@code rel} (a normalised relative name) when it cannot be created below a directory whose absolute
     * path is {@code prefixBytes} long.
     */
    static void requireFits(String rel, String entryName, long prefixBytes) throws UnsafeArchiveException {
        requireEncodable(rel, entryName, "name");
        for (String part : rel.split("/")) {
            int n = bytes(part);
            if (n > NAME_MAX) {
                throw new UnsafeArchiveException(entryName, "name component of " + n + " bytes is longer than the "
                        + NAME_MAX + " a file system allows ('" + FailureMessages.bounded(part, 60) + "')");
            }
        }
        long total = prefixBytes + 1 + bytes(rel) + 1; // the slash after the prefix, the NUL
        if (total > PATH_MAX) {
            throw new UnsafeArchiveException(entryName, "path of " + (total - 1) + " bytes (below the restore"
                    + " directory) is longer than the " + (PATH_MAX - 1) + " a file system allows");
        }
    }

    /** A symbolic link target is stored as it is: valid, encodable and shorter than PATH_MAX. */
    static void requireLinkTargetFits(String target, String entryName) throws UnsafeArchiveException {
        requireEncodable(target, entryName, "symbolic link target");
        int n = bytes(target);
        if (n >= PATH_MAX) {
            throw new UnsafeArchiveException(entryName, "symbolic link target of " + n + " bytes is longer than the "
                    + (PATH_MAX - 1) + " a file system allows");
        }
        for (String part : target.split("/")) {
            if (bytes(part) > NAME_MAX) {
                throw new UnsafeArchiveException(entryName, "symbolic link target has a name component longer than "
                        + NAME_MAX + " bytes");
            }
        }
    }

    /** The byte length of a path as the JVM hands it to the kernel. */
    public static int bytes(String s) {
        return s.getBytes(FILE_NAMES).length;
    }

    private static void requireEncodable(String s, String entryName, String what) throws UnsafeArchiveException {
        if (s.indexOf('\uFFFD') >= 0) {
            throw new UnsafeArchiveException(entryName, what + " is not valid UTF-8");
        }
        CharsetEncoder encoder = FILE_NAMES.newEncoder();
        if (!encoder.canEncode(s)) {
            throw new UnsafeArchiveException(entryName, what + " cannot be written as a file name by this worker"
                    + " (its file-name charset is " + FILE_NAMES + "; run it with a UTF-8 locale, e.g. LANG=C.UTF-8)");
        }
    }

    private static Charset fileNameCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
