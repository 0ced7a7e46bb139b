package io.romadr.activities.archive;

import io.romadr.activities.digest.Sha256;
import io.romadr.activities.stream.CountingOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Streams a tar.gz to any {@link OutputStream}: tar (POSIX/PAX long names and big numbers) -> {@link
 * ParallelGzipOutputStream} -> SHA-256 + byte counter -> the caller's stream. Nothing is buffered beyond the gzip
 * blocks in flight, so memory does not depend on the size of what is archived. The caller's stream is flushed but not
 * closed.
 *
 * <p>{@link #writeDirectory} archives a directory tree: regular files, directories and symbolic links (never followed),
 * with their permission bits (rwx for user/group/other; setuid/setgid/sticky are not archived) and modification times;
 * entries are named relative to the directory, in sorted order, so the same tree gives the same tar. Other file types
 * (sockets, fifos, devices) are skipped. {@link #recompress} turns an uncompressed tar stream (e.g. docker-java's
 * {@code copyArchiveFromContainerCmd}) into the same tar.gz form, counting its entries.
 */
public final class ArchiveWriter {

    /** What was written: SHA-256 (hex) and length of the compressed bytes, tar entries, uncompressed content bytes. */
    public record ArchiveResult(String sha256, long compressedBytes, long entries, long contentBytes) {
    }

    private final int threads;
    private final int blockSize;
    private final int level;

    public ArchiveWriter() {
        this(Runtime.getRuntime().availableProcessors(), ParallelGzipOutputStream.DEFAULT_BLOCK_SIZE,
                Deflater.DEFAULT_COMPRESSION);
    }

    public ArchiveWriter(int threads, int blockSize, int level) {
        this.threads = threads;
        this.blockSize = blockSize;
        this.level = level;
    }

    public ArchiveResult writeDirectory(Path dir, OutputStream out) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("not a directory: " + dir);
        }
        return write(out, (tar, counters) -> walk(dir, "", tar, counters));
    }

    public ArchiveResult recompress(InputStream tarStream, OutputStream out) throws IOException {
        return write(out, (tar, counters) -> {
            TarArchiveInputStream in = new TarArchiveInputStream(tarStream);
            TarArchiveEntry entry;
            byte[] buf = new byte[64 * 1024];
            while ((entry = in.getNextEntry()) != null) {
                tar.putArchiveEntry(entry);
                if (!entry.isDirectory() && !entry.isSymbolicLink() && !entry.isLink()) {
                    int n;
                    while ((n = in.read(buf)) != -1) {
                        tar.write(buf, 0, n);
                        counters.contentBytes += n;
                    }
                }
                tar.closeArchiveEntry();
                counters.entries++;
            }
        });
    }

    private interface Body {
        void writeTo(TarArchiveOutputStream tar, Counters counters) throws IOException;
    }

    private static final class Counters {
        long entries;
        long contentBytes;
    }

    private ArchiveResult write(OutputStream out, Body body) throws IOException {
        Objects.requireNonNull(out, "out");
        MessageDigest sha256 = Sha256.newDigest();
        Counters counters = new Counters();
        CountingOutputStream counting = new CountingOutputStream(out); // the caller owns its stream
        DigestOutputStream digesting = new DigestOutputStream(counting, sha256);
        ParallelGzipOutputStream gzip = new ParallelGzipOutputStream(digesting, threads, blockSize, level);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, 64 * 1024);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        try (tar) {
            body.writeTo(tar, counters);
            tar.finish();
        }
        return new ArchiveResult(Sha256.hex(sha256), counting.count(), counters.entries,
                counters.contentBytes);
    }

    private static void walk(Path dir, String prefix, TarArchiveOutputStream tar, Counters counters)
            throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(children::add);
        }
        children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        byte[] buf = new byte[64 * 1024];
        for (Path child : children) {
            String name = prefix + child.getFileName().toString();
            PosixFileAttributes attrs = Files.readAttributes(child, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            int perms = permissionBits(attrs.permissions());
            TarArchiveEntry entry;
            if (attrs.isSymbolicLink()) {
                entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                entry.setLinkName(Files.readSymbolicLink(child).toString());
                entry.setMode(0120000 | perms);
            } else if (attrs.isDirectory()) {
                entry = new TarArchiveEntry(name + "/");
                entry.setMode(040000 | perms);
            } else if (attrs.isRegularFile()) {
                entry = new TarArchiveEntry(name);
                entry.setMode(0100000 | perms);
                entry.setSize(attrs.size());
            } else {
                continue; // sockets, fifos, devices: not archived
            }
            entry.setModTime(attrs.lastModifiedTime());
            setOwner(entry, child, attrs);
            tar.putArchiveEntry(entry);
            if (attrs.isRegularFile()) {
                long expected = attrs.size();
                long copied = 0;
                try (InputStream in = Files.newInputStream(child, LinkOption.NOFOLLOW_LINKS)) {
                    int n;
                    while (copied < expected
                            && (n = in.read(buf, 0, (int) Math.min(buf.length, expected - copied))) != -1) {
                        tar.write(buf, 0, n);
                        copied += n;
                    }
                }
                if (copied != expected) {
                    throw new IOException(
                            "file shrank while being archived: " + child + " (" + copied + " of " + expected
                                    + " bytes)");
                }
                counters.contentBytes += copied;
            }
            tar.closeArchiveEntry();
            counters.entries++;
            if (attrs.isDirectory()) {
                walk(child, name + "/", tar, counters);
            }
        }
    }

    private static void setOwner(TarArchiveEntry entry, Path p, BasicFileAttributes attrs) {
        try {
            Object uid = Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            Object gid = Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
            entry.setUserId(((Number) uid).longValue());
            entry.setGroupId(((Number) gid).longValue());
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // owner is informational only; SafeExtractor never applies it
        }
        if (attrs instanceof PosixFileAttributes posix) {
            entry.setUserName(posix.owner().getName());
            entry.setGroupName(posix.group().getName());
        }
    }

    static int permissionBits(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= switch (p) {
                case OWNER_READ -> 0400;
                case OWNER_WRITE -> 0200;
                case OWNER_EXECUTE -> 0100;
                case GROUP_READ -> 040;
                case GROUP_WRITE -> 020;
                case GROUP_EXECUTE -> 010;
                case OTHERS_READ -> 04;
                case OTHERS_WRITE -> 02;
                case OTHERS_EXECUTE -> 01;
            };
        }
        return mode;
    }
}
