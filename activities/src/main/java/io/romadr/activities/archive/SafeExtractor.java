package io.romadr.activities.archive;

import io.romadr.activities.digest.Sha256;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts an untrusted tar.gz into a fresh staging directory ({@code .roma-staging-*}) created inside a parent
 * directory, refusing the whole archive on the first unsafe entry.
 *
 * <p>For every entry, before anything is written for it: the name must not be absolute, contain NUL or any {@code ..}
 * component, must fit the file system ({@link FileSystemLimits}: component and path length, UTF-8, hard link count)
 * and its normalised path must lie inside staging; no existing parent of it may be a symbolic link or a
 * non-directory (nothing is ever written through a link); a symbolic link's target must be relative and resolve
 * inside staging; a hard link's target must be a regular file extracted earlier from the same archive; character and
 * block devices, fifos, sparse and unknown entry types are refused; the entry count and the sum of file sizes must stay
 * within the configured limits. After the last entry, every symbolic link is resolved again through the links now in
 * staging (so a chain of links cannot escape where each link alone looks harmless). On the first refusal (or any I/O
 * error, e.g. a corrupt gzip stream) the staging directory is deleted and an {@link UnsafeArchiveException} naming
 * the entry and the reason is thrown: a rejected archive leaves nothing behind and writes nothing outside staging.
 *
 * <p>Modes (permission bits only: setuid/setgid/sticky are dropped) and modification times are restored; owners
 * only when constructed with {@code restoreOwners}. {@link #verifyThenExtract} first streams the archive to a temporary file beside staging while computing its
 * SHA-256 (constant memory), refuses on mismatch before extracting anything, then extracts from that file.
 *
 * <p>Long on purpose: the scan (on a model) and the extraction (on staging) walk the entries the same way, and
 * keeping the two walks side by side in one class is what stops them drifting apart; the refusals that do not depend
 * on the model or the disk are in {@link EntryRefusals}, shared with {@link TarSanitizer}.
 */
public final class SafeExtractor {

    public static final long DEFAULT_MAX_ENTRIES = 1_000_000;
    public static final long DEFAULT_MAX_TOTAL_BYTES = 256L << 30; // 256 GiB
    private static final int MAX_SYMLINK_HOPS = 40;
    /** Names in archives are UTF-8 (the writers add PAX headers for others); never the platform's charset. */
    static final String NAME_ENCODING = "UTF-8";
    private static final String STAGING_PREFIX = ".roma-staging-";
    /**
     * The path length a scan without a target assumes for the directory entries end up in (a Docker volume's
     * {@code _data} with a staging directory beside it is about 110 bytes), so verification refuses what no usual
     * restore directory can hold; a restore scans again with its real staging path.
     */
    public static final long DEFAULT_PREFIX_BYTES = 256;

    /** Where the extracted tree is (staging, or the target after {@link #restore}), entries and content bytes. */
    public record ExtractResult(Path directory, long entries, long bytes) {
    }

    private final long maxEntries;
    private final long maxTotalBytes;
    private final boolean restoreOwners;

    public SafeExtractor() {
        this(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_TOTAL_BYTES);
    }

    public SafeExtractor(long maxEntries, long maxTotalBytes) {
        this(maxEntries, maxTotalBytes, false);
    }

    /**
     * @param restoreOwners also give every extracted entry the numeric uid/gid it has in the archive (needs root; a
     *                      service's volume must get its files back with the owner the service runs as)
     */
    public SafeExtractor(long maxEntries, long maxTotalBytes, boolean restoreOwners) {
        if (maxEntries < 1 || maxTotalBytes < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxEntries = maxEntries;
        this.maxTotalBytes = maxTotalBytes;
        this.restoreOwners = restoreOwners;
    }

    /** Sets a path's numeric owner without following a symbolic link (lchown). */
    public static void setOwner(Path path, long uid, long gid) throws IOException {
        Files.setAttribute(path, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
    }

    private void owner(Path path, TarArchiveEntry entry) throws IOException {
        if (restoreOwners) {
            setOwner(path, entry.getLongUserId(), entry.getLongGroupId());
        }
    }

    /** The directory where staging for {@code target} goes: its parent, so the swap is a same-filesystem rename. */
    public static Path stagingParentFor(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null) {
            throw new IllegalArgumentException("target has no parent: " + target);
        }
        return parent;
    }

    /**
     * Verifies, extracts and swaps into place: {@code target} is replaced only by a complete, verified tree.
     */
    public ExtractResult restore(InputStream tarGz, String expectedSha256, Path target) throws IOException {
        Path t = target.toAbsolutePath().normalize();
        AtomicSwap.recover(t);
        ExtractResult staged = verifyThenExtract(tarGz, expectedSha256, stagingParentFor(t));
        try {
            AtomicSwap.swap(staged.directory(), t);
        } catch (IOException | RuntimeException e) {
            AtomicSwap.deleteTree(staged.directory());
            throw e;
        }
        return new ExtractResult(t, staged.entries(), staged.bytes());
    }

    /**
     * Streams {@code tarGz} to a temporary file in {@code stagingParent} computing its SHA-256; refuses (deleting the
     * file, extracting nothing) when it differs from {@code expectedSha256} (hex); else extracts it into a new staging
     * directory there. The temporary file is always deleted.
     */
    public ExtractResult verifyThenExtract(InputStream tarGz, String expectedSha256, Path stagingParent)
            throws IOException {
        if (expectedSha256 == null || !expectedSha256.matches("(?i)[0-9a-f]{64}")) {
            throw new IllegalArgumentException("expected SHA-256 must be 64 hex digits: " + expectedSha256);
        }
        Files.createDirectories(stagingParent);
        Path download = Files.createTempFile(stagingParent, ".roma-download-", ".tar.gz");
        try {
            MessageDigest sha256 = Sha256.newDigest();
            try (DigestInputStream in = new DigestInputStream(tarGz, sha256);
                    OutputStream out = Files.newOutputStream(download, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)) {
                in.transferTo(out);
            }
            String actual = Sha256.hex(sha256);
            if (!actual.equals(expectedSha256.toLowerCase(Locale.ROOT))) {
                throw new UnsafeArchiveException(null,
                        "SHA-256 mismatch: expected " + expectedSha256.toLowerCase(Locale.ROOT) + ", got " + actual);
            }
            try (InputStream in = Files.newInputStream(download)) {
                return extract(in, stagingParent);
            }
        } finally {
            Files.deleteIfExists(download);
        }
    }

    /** Extracts {@code tarGz} into a new staging directory inside {@code stagingParent} (created if missing). */
    public ExtractResult extract(InputStream tarGz, Path stagingParent) throws IOException {
        Files.createDirectories(stagingParent);
        Path staging = Files.createTempDirectory(stagingParent, STAGING_PREFIX).toRealPath();
        try {
            return extractInto(tarGz, staging);
        } catch (IOException | RuntimeException | Error e) {
            try {
                AtomicSwap.deleteTree(staging);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** What {@link #scan} read: entries and the sum of regular file sizes. */
    public record ScanResult(long entries, long bytes) {
    }

    /** Sees every regular file's content during {@link #scan}; may read all, part or none of it. */
    public interface FileVisitor {
        void file(String path, TarArchiveEntry entry, InputStream content) throws IOException;
    }

    /**
     * The verify-only mode: applies the same checks as {@link #extract} to every entry of {@code tarGz} (names, types,
     * link targets, parents that are links or files, limits, link chains) against an in-memory model of the tree,
     * writing nothing. {@code visitor} (may be null) sees each regular file's content, by its normalised relative path.
     * Throws {@link UnsafeArchiveException} on the first refusal; a corrupt stream throws its {@link IOException}.
     * The caller's stream is not closed.
     */
    public ScanResult scan(InputStream tarGz, FileVisitor visitor) throws IOException {
        return scan(tarGz, visitor, DEFAULT_PREFIX_BYTES);
    }

    /**
     * The bytes of the longest directory path entries are written below when extracting into a staging directory in
     * {@code stagingParent}: its path, the staging name and the random part {@link Files#createTempDirectory} adds.
     */
    public static long stagingPrefixBytes(Path stagingParent) {
        return FileSystemLimits.bytes(stagingParent.toAbsolutePath().normalize().toString()) + 1
                + STAGING_PREFIX.length() + 20;
    }

    /**
     * As {@link #scan(InputStream, FileVisitor)}, also refusing every name that would not fit the file system below a
     * directory whose absolute path is {@code prefixBytes} long (see {@link #stagingPrefixBytes}).
     */
    public ScanResult scan(InputStream tarGz, FileVisitor visitor, long prefixBytes) throws IOException {
        Map<String, Integer> hardLinks = new HashMap<>();
        Map<String, Character> kinds = new HashMap<>(); // 'd' directory, 'f' file, 'l' symbolic link
        Map<String, String> links = new LinkedHashMap<>(); // archive order, so the same entry is named as extract names
        Set<String> regularFiles = new HashSet<>();
        long entries = 0;
        long bytes = 0;
        byte[] buf = new byte[64 * 1024];
        TarArchiveInputStream tar = new NameCheckingTarInputStream(
                new GZIPInputStream(new BufferedInputStream(nonClosing(tarGz), 64 * 1024), 64 * 1024));
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            String name = entry.getName();
            String rel = EntryRefusals.checkedName(entry, ++entries, maxEntries);
            if (rel.isEmpty()) {
                continue;
            }
            FileSystemLimits.requireFits(rel, name, prefixBytes);
            checkParentsInModel(kinds, rel, name);
            Character existing = kinds.get(rel);
            if (entry.isSymbolicLink()) {
                String target = entry.getLinkName();
                EntryRefusals.requireRelativeLinkTarget(target, name);
                if (resolveInModel(null, EntryRefusals.parentOf(rel), target, new int[]{0}) == null) {
                    throw new UnsafeArchiveException(name,
                            "symbolic link target '" + target + "' escapes the staging directory");
                }
                refuseDirectory(existing, name);
                kinds.put(rel, 'l');
                links.put(rel, target);
            } else if (entry.isLink()) {
                String target = entry.getLinkName();
                String targetRel = EntryRefusals.relativeName(target == null ? "" : target, name);
                if (targetRel.isEmpty() || !regularFiles.contains(targetRel)
                        || !Character.valueOf('f').equals(kinds.get(targetRel))) {
                    throw new UnsafeArchiveException(name,
                            "hard link target '" + target
                                    + "' is not a regular file extracted earlier from this archive");
                }
                checkParentsInModel(kinds, targetRel, name);
                countHardLink(hardLinks, targetRel, name);
                refuseDirectory(existing, name);
                kinds.put(rel, 'f');
                links.remove(rel);
                regularFiles.add(rel);
            } else if (entry.isDirectory()) {
                kinds.put(rel, 'd');
                links.remove(rel);
            } else if (EntryRefusals.isPlainFile(entry)) {
                long size = entry.getSize();
                EntryRefusals.requireWithinTotal(size, bytes, maxTotalBytes, name);
                refuseDirectory(existing, name);
                if (visitor != null) {
                    visitor.file(rel, entry, nonClosing(tar));
                }
                // drain what the visitor left; a short entry makes the tar stream throw ("truncated")
                while (tar.read(buf) != -1) {
                    // skip
                }
                bytes += size;
                kinds.put(rel, 'f');
                links.remove(rel);
                regularFiles.add(rel);
            } else {
                throw EntryRefusals.unsupportedType(entry, name);
            }
        }
        for (Map.Entry<String, String> link : links.entrySet()) {
            if (resolveInModel(links, EntryRefusals.parentOf(link.getKey()), link.getValue(),
                    new int[]{MAX_SYMLINK_HOPS}) == null) {
                throw new UnsafeArchiveException(link.getKey(),
                        "symbolic link target '" + link.getValue()
                                + "' escapes the staging directory through other links");
            }
        }
        return new ScanResult(entries, bytes);
    }

    /** A file system allows only so many names for one file; beyond that link(2) fails with EMLINK. */
    private static void countHardLink(Map<String, Integer> hardLinks, String target, String name)
            throws UnsafeArchiveException {
        int names = hardLinks.merge(target, 1, Integer::sum) + 1;
        if (names > FileSystemLimits.LINK_MAX) {
            throw new UnsafeArchiveException(name,
                    "more than " + FileSystemLimits.LINK_MAX + " hard links to one file");
        }
    }

    private static void refuseDirectory(Character existing, String name) throws UnsafeArchiveException {
        if (existing != null && existing == 'd') {
            throw new UnsafeArchiveException(name, "would replace a directory");
        }
    }

    /** As {@link #checkParents}, on the model: an ancestor must not be a link or a file; missing ones become dirs. */
    private static void checkParentsInModel(Map<String, Character> kinds, String rel, String name)
            throws UnsafeArchiveException {
        int slash = -1;
        while ((slash = rel.indexOf('/', slash + 1)) >= 0) {
            String ancestor = rel.substring(0, slash);
            Character kind = kinds.get(ancestor);
            if (kind == null) {
                kinds.put(ancestor, 'd');
            } else if (kind == 'l') {
                throw new UnsafeArchiveException(name, "parent '" + ancestor + "' is a symbolic link");
            } else if (kind == 'f') {
                throw new UnsafeArchiveException(name, "parent '" + ancestor + "' is not a directory");
            }
        }
    }

    /**
     * Resolves a relative link target from directory {@code dir} ("" is the root) through the links of the model
     * ({@code links} null: lexically only); null if it escapes the root or needs more than the allowed hops.
     */
    private static String resolveInModel(Map<String, String> links, String dir, String target, int[] hops) {
        if (target.startsWith("/")) {
            return null;
        }
        List<String> cur = new ArrayList<>();
        if (!dir.isEmpty()) {
            cur.addAll(List.of(dir.split("/")));
        }
        for (String part : target.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (cur.isEmpty()) {
                    return null;
                }
                cur.remove(cur.size() - 1);
                continue;
            }
            String here = String.join("/", cur);
            String next = here.isEmpty() ? part : here + "/" + part;
            String linkTarget = links == null ? null : links.get(next);
            if (linkTarget != null) {
                if (--hops[0] < 0) {
                    return null; // a loop, or too deep to prove safe
                }
                String resolved = resolveInModel(links, here, linkTarget, hops);
                if (resolved == null) {
                    return null;
                }
                cur = new ArrayList<>();
                if (!resolved.isEmpty()) {
                    cur.addAll(List.of(resolved.split("/")));
                }
            } else {
                cur.add(part);
            }
        }
        return String.join("/", cur);
    }

    private static InputStream nonClosing(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {
                // the caller owns the stream
            }
        };
    }

    private record Deferred(Path path, int mode, FileTime mtime) {
    }

    private ExtractResult extractInto(InputStream tarGz, Path staging) throws IOException {
        Set<String> regularFiles = new HashSet<>();
        List<Deferred> directories = new ArrayList<>();
        List<Path> symlinks = new ArrayList<>();
        long entries = 0;
        long bytes = 0;
        byte[] buf = new byte[64 * 1024];
        TarArchiveInputStream tar = new NameCheckingTarInputStream(
                new GZIPInputStream(new BufferedInputStream(tarGz, 64 * 1024), 64 * 1024));
        long prefixBytes = FileSystemLimits.bytes(staging.toString());
        Map<String, Integer> hardLinks = new HashMap<>();
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            String name = entry.getName();
            String rel = EntryRefusals.checkedName(entry, ++entries, maxEntries);
            if (rel.isEmpty()) {
                // "./": staging itself; its mode matters once staging becomes the target (it starts as 0700)
                directories.add(0, new Deferred(staging, entry.getMode() & 0777, entry.getLastModifiedTime()));
                owner(staging, entry);
                continue;
            }
            FileSystemLimits.requireFits(rel, name, prefixBytes);
            Path path = staging.resolve(rel).normalize();
            if (!path.startsWith(staging) || path.equals(staging)) {
                throw new UnsafeArchiveException(name, "path resolves outside the staging directory");
            }
            checkParents(staging, path, name);
            FileTime mtime = entry.getLastModifiedTime();
            int mode = entry.getMode() & 0777;

            if (entry.isSymbolicLink()) {
                String target = entry.getLinkName();
                EntryRefusals.requireRelativeLinkTarget(target, name);
                Path resolved = path.getParent().resolve(target).normalize();
                if (!resolved.startsWith(staging)) {
                    throw new UnsafeArchiveException(name,
                            "symbolic link target '" + target + "' escapes the staging directory");
                }
                replaceExisting(path, name, false);
                Files.createSymbolicLink(path, path.getFileSystem().getPath(target));
                owner(path, entry);
                setTimesNoFollow(path, mtime);
                symlinks.add(path);
            } else if (entry.isLink()) {
                String target = entry.getLinkName();
                String targetRel = EntryRefusals.relativeName(target == null ? "" : target, name);
                if (targetRel.isEmpty() || !regularFiles.contains(targetRel)) {
                    throw new UnsafeArchiveException(name,
                            "hard link target '" + target
                                    + "' is not a regular file extracted earlier from this archive");
                }
                Path source = staging.resolve(targetRel).normalize();
                if (!source.startsWith(staging) || !Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                    throw new UnsafeArchiveException(name,
                            "hard link target '" + target + "' escapes the staging directory");
                }
                checkParents(staging, source, name);
                countHardLink(hardLinks, targetRel, name);
                replaceExisting(path, name, false);
                Files.createLink(path, source);
                regularFiles.add(rel);
            } else if (entry.isDirectory()) {
                if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                        replaceExisting(path, name, false);
                        Files.createDirectory(path);
                    }
                } else {
                    Files.createDirectory(path);
                }
                owner(path, entry);
                directories.add(new Deferred(path, mode, mtime));
            } else if (EntryRefusals.isPlainFile(entry)) {
                long size = entry.getSize();
                EntryRefusals.requireWithinTotal(size, bytes, maxTotalBytes, name);
                replaceExisting(path, name, true);
                long written = 0;
                try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS)) {
                    int n;
                    while ((n = tar.read(buf)) != -1) {
                        written += n;
                        if (written > size) {
                            throw new UnsafeArchiveException(name, "more data than the entry's declared size");
                        }
                        out.write(buf, 0, n);
                    }
                }
                if (written != size) {
                    throw new UnsafeArchiveException(name, "truncated: " + written + " of " + size + " bytes");
                }
                bytes += written;
                owner(path, entry); // before the mode: chown may clear mode bits
                Files.setPosixFilePermissions(path, permissions(mode));
                Files.setLastModifiedTime(path, mtime);
                regularFiles.add(rel);
            } else {
                throw EntryRefusals.unsupportedType(entry, name);
            }
        }
        // a chain of links, each harmless alone, must not escape either: resolve every link through what is now there
        for (Path link : symlinks) {
            if (resolveWithin(staging, link.getParent(), Files.readSymbolicLink(link).toString(),
                    new int[]{MAX_SYMLINK_HOPS}) == null) {
                throw new UnsafeArchiveException(staging.relativize(link).toString(),
                        "symbolic link target '" + Files.readSymbolicLink(link)
                                + "' escapes the staging directory through other links");
            }
        }
        for (int i = directories.size() - 1; i >= 0; i--) { // deepest last-listed first, so children are done
            Deferred d = directories.get(i);
            Files.setPosixFilePermissions(d.path(), permissions(d.mode()));
            Files.setLastModifiedTime(d.path(), d.mtime());
        }
        return new ExtractResult(staging, entries, bytes);
    }

    /** Every existing ancestor between staging and path must be a real directory; missing ones are created. */
    private static void checkParents(Path staging, Path path, String name) throws IOException {
        Path rel = staging.relativize(path.getParent());
        Path cur = staging;
        for (Path part : rel) {
            if (part.toString().isEmpty()) {
                continue;
            }
            cur = cur.resolve(part);
            if (Files.isSymbolicLink(cur)) {
                throw new UnsafeArchiveException(name, "parent '" + staging.relativize(cur) + "' is a symbolic link");
            }
            if (Files.exists(cur, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isDirectory(cur, LinkOption.NOFOLLOW_LINKS)) {
                    throw new UnsafeArchiveException(name,
                            "parent '" + staging.relativize(cur) + "' is not a directory");
                }
            } else {
                Files.createDirectory(cur);
            }
        }
    }

    /** A later entry replaces an earlier file or link of the same name (as tar does), never a directory. */
    private static void replaceExisting(Path path, String name, boolean file) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new UnsafeArchiveException(name, "would replace a directory");
        }
        Files.delete(path); // does not follow links
    }

    /** Resolves a relative link target from {@code dir} through links present in staging; null if it escapes. */
    private static Path resolveWithin(Path staging, Path dir, String target, int[] hops) throws IOException {
        if (target.startsWith("/")) {
            return null;
        }
        Path cur = dir;
        for (String part : target.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                cur = cur.getParent();
                if (cur == null || !cur.startsWith(staging)) {
                    return null;
                }
                continue;
            }
            Path next = cur.resolve(part);
            if (Files.isSymbolicLink(next)) {
                if (--hops[0] < 0) {
                    return null; // a loop, or too deep to prove safe
                }
                cur = resolveWithin(staging, cur, Files.readSymbolicLink(next).toString(), hops);
                if (cur == null) {
                    return null;
                }
            } else {
                cur = next;
            }
            if (!cur.startsWith(staging)) {
                return null;
            }
        }
        return cur;
    }

    private static void setTimesNoFollow(Path link, FileTime mtime) {
        try {
            Files.getFileAttributeView(link, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(mtime, null, null);
        } catch (IOException | UnsupportedOperationException ignored) {
            // link times are cosmetic
        }
    }

    /** The permission bits of a tar mode (setuid/setgid/sticky dropped). */
    public static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(order[i]);
            }
        }
        return s;
    }
}
