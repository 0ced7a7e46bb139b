package io.romadr.activities.backup;

import io.romadr.activities.archive.AtomicSwap;
import io.romadr.activities.archive.SafeExtractor;
import io.romadr.activities.archive.UnsafeArchiveException;
import io.romadr.activities.digest.Sha256;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.FileDigest;
import io.romadr.backup.RestoreResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Writes a verified tar.gz backup into a host directory: the whole directory staged beside it and swapped in with
 * renames, or just the named files renamed over their targets; the bytes read must be the verified ones, and the
 * free space is checked before anything is stopped.
 */
final class ArchiveRestorer {
    /** Temporary files of a file restore: not named after the file, so a 255-byte name still fits beside it. */
    private static final String RESTORE_TMP = ".roma-restore-";

    private final SafeExtractor extractor;

    ArchiveRestorer(SafeExtractor extractor) {
        this.extractor = extractor;
    }

    /** Rough block overhead per entry: a small file or a directory takes a whole block. */
    static final long BLOCK_BYTES = 4096;

    /**
     * Refuses (before the container is stopped) when the file system of {@code hostDir} has less usable space than
     * the restore writes: the extracted tree is staged beside the old one, which stays until the swap.
     */
    static void requireSpace(Path hostDir, long contentBytes, long entries, BackupManifest m)
            throws IOException {
        Path parent = SafeExtractor.stagingParentFor(hostDir);
        long needed = contentBytes + entries * BLOCK_BYTES;
        long usable = Files.getFileStore(parent).getUsableSpace();
        if (needed > usable) {
            throw new BackupRefusedException("InsufficientSpace", "backup " + m.objectKey() + " needs about "
                    + needed + " bytes (" + contentBytes + " of content in " + entries + " entries) beside " + hostDir
                    + ", its file system has " + usable + " usable; nothing restored, refused before the service"
                    + " was stopped");
        }
    }

    static long onlyBytes(BackupManifest m, Set<String> only) {
        return m.files().stream().filter(f -> only.contains(f.path())).mapToLong(FileDigest::size).sum();
    }

    /** Whole directory: extract beside it, check the bytes were the verified ones, swap with renames. */
    RestoreResult restoreAll(ObjectStore store, BackupManifest m, Path hostDir) throws IOException {
        AtomicSwap.recover(hostDir); // a swap an earlier attempt left half-done
        Path parent = SafeExtractor.stagingParentFor(hostDir);
        deleteStaleStaging(parent);
        MessageDigest sha = Sha256.newDigest();
        SafeExtractor.ExtractResult staged;
        try (InputStream raw = store.open(m.objectKey())) {
            DigestInputStream in = new DigestInputStream(raw, sha);
            staged = extractor.extract(in, parent);
            try {
                in.transferTo(OutputStream.nullOutputStream());
                requireSameSha(m, sha);
                AtomicSwap.swap(staged.directory(), hostDir);
            } catch (IOException | RuntimeException e) {
                AtomicSwap.deleteTree(staged.directory());
                throw e;
            }
        }
        return new RestoreResult(m.objectKey(), hostDir.toString(), staged.entries(), staged.bytes(), List.of(),
                "restored the whole directory (" + staged.entries() + " entries, " + staged.bytes() + " bytes)");
    }

    /**
     * Just the named files: each is written to a temporary file beside its target while the whole archive is checked,
     * then renamed over the target; other files are not touched.
     */
    RestoreResult restoreFiles(ObjectStore store, BackupManifest m, Path hostDir, Set<String> only)
            throws IOException {
        Path root = hostDir.toRealPath();
        for (String name : only) {
            deleteStaleTemps(root, name);
        }
        Map<String, Path> staged = new HashMap<>();
        Map<String, Long> sizes = new HashMap<>();
        MessageDigest sha = Sha256.newDigest();
        try (InputStream raw = store.open(m.objectKey())) {
            DigestInputStream in = new DigestInputStream(raw, sha);
            extractor.scan(in, (path, entry, content) -> {
                if (!only.contains(path)) {
                    return;
                }
                Path target = safeTarget(root, path);
                Path tmp = target.resolveSibling(RESTORE_TMP + UUID.randomUUID());
                long n;
                try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    n = content.transferTo(out);
                }
                if (BackupOperations.RUN_AS_ROOT) {
                    SafeExtractor.setOwner(tmp, entry.getLongUserId(), entry.getLongGroupId());
                }
                Files.setPosixFilePermissions(tmp, SafeExtractor.permissions(entry.getMode()));
                Files.setLastModifiedTime(tmp, entry.getLastModifiedTime());
                Path earlier = staged.put(path, tmp);
                if (earlier != null) {
                    Files.deleteIfExists(earlier); // a later entry of the same name wins, as in tar
                }
                sizes.put(path, n);
            });
            in.transferTo(OutputStream.nullOutputStream());
            requireSameSha(m, sha);
            for (String name : only) {
                if (!staged.containsKey(name)) {
                    throw new BackupRefusedException("NotInBackup", "file " + name + " is listed in the manifest of "
                            + m.objectKey() + " but not in its archive (nothing restored)");
                }
                Path target = root.resolve(name);
                if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw new BackupRefusedException("TargetIsDirectory", "cannot restore file " + name
                            + ": a directory is in its place in " + root);
                }
            }
            for (String name : only) {
                // rename(2) replaces the target (even a symbolic link) without following it
                Files.move(staged.remove(name), root.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            for (Path left : staged.values()) {
                Files.deleteIfExists(left);
            }
        }
        long bytes = sizes.values().stream().mapToLong(Long::longValue).sum();
        return new RestoreResult(m.objectKey(), root.toString(), only.size(), bytes, List.copyOf(only),
                "restored " + only.size() + " file(s), " + bytes + " bytes; other files untouched");
    }

    private static void requireSameSha(BackupManifest m, MessageDigest sha) {
        String actual = Sha256.hex(sha);
        if (!actual.equalsIgnoreCase(m.sha256())) {
            throw new BackupRefusedException("BackupVerificationFailed", "object " + m.objectKey()
                    + " changed after verification (sha256 manifest " + Sha256.abbrev(m.sha256()) + ", read "
                    + Sha256.abbrev(actual) + "); nothing restored");
        }
    }

    /**
     * The host path of file {@code rel} under {@code root}: every existing directory on the way must be a real
     * directory (the container may have planted a symbolic link to redirect the write); missing ones are created.
     */
    private static Path safeTarget(Path root, String rel) throws IOException {
        Path target = root.resolve(rel).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new UnsafeArchiveException(rel, "resolves outside " + root);
        }
        Path cur = root;
        for (Path part : root.relativize(target.getParent() == null ? root : target.getParent())) {
            if (part.toString().isEmpty()) {
                continue;
            }
            cur = cur.resolve(part);
            if (Files.isSymbolicLink(cur)) {
                throw new UnsafeArchiveException(rel, "'" + root.relativize(cur) + "' is a symbolic link in " + root);
            }
            if (!Files.exists(cur, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(cur);
            } else if (!Files.isDirectory(cur, LinkOption.NOFOLLOW_LINKS)) {
                throw new UnsafeArchiveException(rel, "'" + root.relativize(cur) + "' is not a directory in " + root);
            }
        }
        return target;
    }

    private static void deleteStaleTemps(Path root, String rel) throws IOException {
        Path target = root.resolve(rel).normalize();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(dir)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, RESTORE_TMP + "*")) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Staging directories an interrupted restore left beside the target (ours by name). */
    private static void deleteStaleStaging(Path parent) throws IOException {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, ".roma-staging-*")) {
            for (Path p : ds) {
                AtomicSwap.deleteTree(p);
            }
        }
    }
}
