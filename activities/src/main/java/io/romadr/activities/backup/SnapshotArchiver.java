package io.romadr.activities.backup;

import io.romadr.activities.archive.ParallelGzipOutputStream;
import io.romadr.activities.digest.Sha256;
import io.romadr.activities.stream.CountingOutputStream;
import io.romadr.backup.FileDigest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.PathMatcher;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Turns the plain tar of {@code docker cp} (every entry prefixed with the basename of the copied path) into the
 * stored tar.gz: the prefix is stripped (the root becomes {@code ./}, so {@code tar xzf} in an empty directory gives
 * the directory's contents with its mode), entries keep their type, mode, times and link targets, and the result goes
 * through {@link ParallelGzipOutputStream} into the caller's stream. Memory is bounded by the gzip blocks in flight.
 * The output is a pure function of the input tar (gzip MTIME is 0, blocks are cut at fixed offsets), which a resumed
 * multipart upload relies on.
 *
 * <p>With include globs (artifacts) only regular files whose relative path matches a glob are kept, with the
 * directories above them; each kept file's size and SHA-256 are returned.
 */
final class SnapshotArchiver {

    /** What was written: compressed SHA-256/size, entries, content bytes, and (artifacts) each file's digest. */
    record Result(String sha256, long sizeBytes, long entries, long contentBytes, List<FileDigest> files) {
    }

    /** Told about progress while streaming: compressed bytes written so far. */
    interface Progress {
        void written(long compressedBytes);
    }

    private final int threads;
    private final int blockSize;
    private final int level;

    SnapshotArchiver() {
        this(Math.max(1, Runtime.getRuntime().availableProcessors()), ParallelGzipOutputStream.DEFAULT_BLOCK_SIZE,
                Deflater.DEFAULT_COMPRESSION);
    }

    SnapshotArchiver(int threads, int blockSize, int level) {
        this.threads = threads;
        this.blockSize = blockSize;
        this.level = level;
    }

    /**
     * @param include null or empty: everything (state); else only matching regular files (artifacts)
     * @param out     receives the tar.gz; flushed, not closed
     */
    Result write(InputStream dockerTar, List<String> include, OutputStream out, Progress progress) throws IOException {
        MessageDigest sha = Sha256.newDigest();
        CountingOutputStream counting = new CountingOutputStream(out, progress::written); // the caller commits
        ParallelGzipOutputStream gzip = new ParallelGzipOutputStream(new DigestOutputStream(counting, sha), threads,
                blockSize, level);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, 64 * 1024);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        Filter filter = include == null || include.isEmpty() ? null : new Filter(include);
        long entries = 0;
        long contentBytes = 0;
        List<FileDigest> files = new ArrayList<>();
        byte[] buf = new byte[64 * 1024];
        try (tar) {
            TarArchiveInputStream in = new TarArchiveInputStream(dockerTar);
            String prefix = null;
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                String name = trimSlashes(entry.getName());
                if (prefix == null) {
                    // docker cp puts the copied directory itself first, named by its basename
                    prefix = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
                }
                String rel = strip(name, prefix);
                if (entry.isLink()) {
                    entry.setLinkName(strip(trimSlashes(entry.getLinkName()), prefix)); // hard links name a path
                }
                boolean regular = entry.isFile() && !entry.isLink() && !entry.isSymbolicLink();
                if (filter != null) {
                    if (rel.isEmpty() && entry.isDirectory()) {
                        filter.rootDir(entry);
                        continue;
                    }
                    if (entry.isDirectory()) {
                        filter.directory(rel, entry);
                        continue;
                    }
                    if (!regular || !filter.matches(rel)) {
                        continue; // artifacts are regular files only
                    }
                    for (TarArchiveEntry parent : filter.parentsToEmit(rel)) {
                        tar.putArchiveEntry(parent);
                        tar.closeArchiveEntry();
                        entries++;
                    }
                }
                entry.setName(rel.isEmpty() ? "./" : entry.isDirectory() ? rel + "/" : rel);
                tar.putArchiveEntry(entry);
                if (regular) {
                    MessageDigest fileSha = filter == null ? null : Sha256.newDigest();
                    long size = 0;
                    int n;
                    while ((n = in.read(buf)) != -1) {
                        tar.write(buf, 0, n);
                        if (fileSha != null) {
                            fileSha.update(buf, 0, n);
                        }
                        size += n;
                    }
                    contentBytes += size;
                    if (fileSha != null) {
                        files.add(new FileDigest(rel, size, Sha256.hex(fileSha)));
                    }
                }
                tar.closeArchiveEntry();
                entries++;
            }
            if (prefix == null) {
                throw new IOException("the engine sent an empty archive");
            }
            tar.finish();
        }
        return new Result(Sha256.hex(sha), counting.count(), entries, contentBytes, files);
    }

    /** An engine archive's entry name without a leading {@code ./} or trailing slashes. */
    static String trimSlashes(String name) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        while (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        return n;
    }

    private static String strip(String name, String prefix) throws IOException {
        if (name.equals(prefix)) {
            return "";
        }
        if (!name.startsWith(prefix + "/")) {
            throw new IOException(
                    "unexpected entry \"" + name + "\" outside \"" + prefix + "\" in the engine's archive");
        }
        return name.substring(prefix.length() + 1);
    }

    /** Include globs, and the directory headers held back until a file below them is kept. */
    private static final class Filter {
        private final List<PathMatcher> matchers;
        private final Map<String, TarArchiveEntry> directories = new LinkedHashMap<>();
        private final Set<String> emitted = new HashSet<>();
        private TarArchiveEntry root;

        Filter(List<String> globs) {
            // The same globs as Scenario 2's artifact reader, so a backup and a validation agree on what is in.
            this.matchers = ContainerArtifacts.matchers(globs);
        }

        void rootDir(TarArchiveEntry entry) {
            entry.setName("./");
            root = entry;
        }

        void directory(String rel, TarArchiveEntry entry) {
            entry.setName(rel + "/");
            directories.put(rel, entry);
        }

        boolean matches(String rel) {
            return ContainerArtifacts.matches(matchers, rel);
        }

        /** The root and the ancestors of {@code rel} not written yet, outermost first. */
        List<TarArchiveEntry> parentsToEmit(String rel) {
            List<TarArchiveEntry> out = new ArrayList<>();
            if (root != null && emitted.add("")) {
                out.add(root);
            }
            int slash = -1;
            while ((slash = rel.indexOf('/', slash + 1)) >= 0) {
                String dir = rel.substring(0, slash);
                TarArchiveEntry e = directories.get(dir);
                if (e != null && emitted.add(dir)) {
                    out.add(e);
                }
            }
            return out;
        }
    }
}
