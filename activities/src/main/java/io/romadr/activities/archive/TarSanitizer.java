package io.romadr.activities.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Re-writes an untrusted (uncompressed) tar stream into a fresh, normalised tar that is safe to extract into a
 * directory on a server (by the Docker engine's archive API or by {@code tar -x} over SSM), refusing the whole
 * archive on the first unsafe entry. Nothing from the input reaches its destination before the whole input has been
 * checked: {@link #sanitizeToFile} writes a temporary file that is sent only when it is complete.
 *
 * <p>Refused: absolute names, names with NUL or any {@code ..} component, names a file system cannot hold
 * ({@link FileSystemLimits}: too long, not UTF-8), entries below a symbolic link of the same
 * archive (nothing is written through a link), symbolic links whose target is absolute or resolves (through the
 * archive's other links, so a chain of individually harmless links cannot escape) outside the directory, hard links
 * whose target is not a regular file written earlier by the same archive, character and block devices, fifos, sparse
 * and unknown entry types, and more than {@code maxEntries} entries or {@code maxTotalBytes} of content. Kept: file and
 * directory permission bits (setuid, setgid and sticky are dropped), modification times and numeric owners; names are
 * re-written in normalised form (no {@code ./}, no doubled slashes).
 */
public final class TarSanitizer {
    public static final long DEFAULT_MAX_ENTRIES = 1_000_000;
    public static final long DEFAULT_MAX_TOTAL_BYTES = 64L << 30; // 64 GiB
    private static final int MAX_SYMLINK_HOPS = 40;

    /** The sanitised archive's entry count and content bytes. */
    public record Result(long entries, long bytes) {
    }

    private final long maxEntries;
    private final long maxTotalBytes;

    public TarSanitizer() {
        this(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_TOTAL_BYTES);
    }

    public TarSanitizer(long maxEntries, long maxTotalBytes) {
        if (maxEntries < 1 || maxTotalBytes < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxEntries = maxEntries;
        this.maxTotalBytes = maxTotalBytes;
    }

    /**
     * Validates {@code tar} into a new temporary file (deleted again when the archive is refused or reading fails);
     * the caller sends and then deletes it.
     */
    public Path sanitizeToFile(InputStream tar) throws IOException {
        Path file = Files.createTempFile("roma-dr-copy", ".tar");
        try {
            try (OutputStream out = Files.newOutputStream(file)) {
                sanitize(tar, out);
            }
            return file;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * Copies {@code tar} to {@code out} entry by entry, refusing on the first unsafe entry with an
     * {@link UnsafeArchiveException}; {@code out} then holds a partial archive and must be discarded.
     */
    public Result sanitize(InputStream tar, OutputStream out) throws IOException {
        Map<String, String> symlinks = new HashMap<>(); // normalised name -> raw target
        Set<String> regularFiles = new HashSet<>();
        Set<String> directories = new HashSet<>(); // made by this archive, explicitly or as a parent
        long entries = 0;
        long bytes = 0;
        TarArchiveInputStream in = new NameCheckingTarInputStream(tar);
        TarArchiveOutputStream tarOut = new TarArchiveOutputStream(out, SafeExtractor.NAME_ENCODING);
        tarOut.setAddPaxHeadersForNonAsciiNames(true);
        tarOut.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tarOut.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        TarArchiveEntry entry;
        while ((entry = in.getNextEntry()) != null) {
            String raw = entry.getName();
            String name = EntryRefusals.checkedName(entry, ++entries, maxEntries);
            if (name.isEmpty()) {
                continue; // "./": the target directory itself, which the caller creates
            }
            FileSystemLimits.requireFits(name, raw, SafeExtractor.DEFAULT_PREFIX_BYTES);
            for (String parent = EntryRefusals.parentOf(name); !parent.isEmpty(); parent = EntryRefusals
                    .parentOf(parent)) {
                if (symlinks.containsKey(parent)) {
                    throw new UnsafeArchiveException(raw, "parent '" + parent + "' is a symbolic link in this archive");
                }
                if (regularFiles.contains(parent)) {
                    throw new UnsafeArchiveException(raw, "parent '" + parent + "' is a file in this archive");
                }
                directories.add(parent);
            }
            TarArchiveEntry clean;
            if (entry.isSymbolicLink()) {
                String target = entry.getLinkName();
                EntryRefusals.requireRelativeLinkTarget(target, raw);
                refuseReplacingDirectory(directories, name, raw, "symbolic link");
                symlinks.put(name, target);
                regularFiles.remove(name);
                if (resolve(symlinks, null, EntryRefusals.parentOf(name), target,
                        new int[]{MAX_SYMLINK_HOPS}) == null) {
                    throw new UnsafeArchiveException(raw,
                            "symbolic link target '" + target + "' escapes the directory");
                }
                clean = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                clean.setLinkName(target);
            } else if (entry.isLink()) {
                String target = EntryRefusals.relativeName(entry.getLinkName() == null ? "" : entry.getLinkName(), raw);
                if (target.isEmpty() || !regularFiles.contains(target)) {
                    throw new UnsafeArchiveException(raw, "hard link target '" + entry.getLinkName()
                            + "' is not a regular file written earlier by this archive");
                }
                refuseReplacingDirectory(directories, name, raw, "hard link");
                symlinks.remove(name);
                regularFiles.add(name);
                clean = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
                clean.setLinkName(target);
            } else if (entry.isDirectory()) {
                if (symlinks.containsKey(name) || regularFiles.contains(name)) {
                    throw new UnsafeArchiveException(raw, "directory replaces a link or file of this archive");
                }
                directories.add(name);
                clean = new TarArchiveEntry(name + "/", TarArchiveEntry.LF_DIR);
            } else if (EntryRefusals.isPlainFile(entry)) {
                long size = entry.getSize();
                EntryRefusals.requireWithinTotal(size, bytes, maxTotalBytes, raw);
                refuseReplacingDirectory(directories, name, raw, "file");
                symlinks.remove(name);
                regularFiles.add(name);
                clean = new TarArchiveEntry(name, TarArchiveEntry.LF_NORMAL);
                clean.setSize(size);
            } else {
                throw EntryRefusals.unsupportedType(entry, raw);
            }
            clean.setMode(entry.getMode() & 0777);
            clean.setModTime(entry.getModTime());
            clean.setUserId(entry.getLongUserId());
            clean.setGroupId(entry.getLongGroupId());
            tarOut.putArchiveEntry(clean);
            if (clean.isFile()) {
                long copied = in.transferTo(tarOut);
                if (copied != clean.getSize()) {
                    throw new UnsafeArchiveException(raw, "truncated: " + copied + " of " + clean.getSize() + " bytes");
                }
                bytes += copied;
            }
            tarOut.closeArchiveEntry();
        }
        // Links added later can change where an earlier link leads: check every link again against the final set,
        // now also requiring every '..' to leave a directory this archive made (a name the archive does not make could
        // be a link already on the server, from an earlier copy, and '..' out of it would go elsewhere).
        for (Map.Entry<String, String> link : symlinks.entrySet()) {
            if (resolve(symlinks, directories, EntryRefusals.parentOf(link.getKey()), link.getValue(),
                    new int[]{MAX_SYMLINK_HOPS}) == null) {
                throw new UnsafeArchiveException(link.getKey(),
                        "symbolic link target '" + link.getValue() + "' escapes the directory through other links");
            }
        }
        tarOut.finish();
        tarOut.flush();
        return new Result(entries, bytes);
    }

    /** Nothing but a directory may take the name of a directory this archive made. */
    private static void refuseReplacingDirectory(Set<String> directories, String name, String raw, String kind)
            throws UnsafeArchiveException {
        if (directories.contains(name)) {
            throw new UnsafeArchiveException(raw, kind + " replaces a directory of this archive");
        }
    }

    /**
     * Resolves a relative link {@code target} from directory {@code dir} (both relative to the root, "" is the root)
     * through the archive's links; null when it leaves the root or is too deep (a loop) to prove safe. With
     * {@code directories}, a {@code ..} may only leave one of those directories.
     */
    private static String resolve(Map<String, String> symlinks, Set<String> directories, String dir, String target,
            int[] hops) {
        Deque<String> path = new ArrayDeque<>();
        if (!dir.isEmpty()) {
            for (String part : dir.split("/")) {
                path.addLast(part);
            }
        }
        for (String part : target.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (path.isEmpty() || (directories != null && !directories.contains(String.join("/", path)))) {
                    return null;
                }
                path.removeLast();
                continue;
            }
            path.addLast(part);
            String current = String.join("/", path);
            String link = symlinks.get(current);
            if (link != null) {
                if (--hops[0] < 0 || link.startsWith("/")) {
                    return null;
                }
                path.removeLast();
                String resolved = resolve(symlinks, directories, String.join("/", path), link, hops);
                if (resolved == null) {
                    return null;
                }
                path.clear();
                if (!resolved.isEmpty()) {
                    for (String p : resolved.split("/")) {
                        path.addLast(p);
                    }
                }
            }
        }
        return String.join("/", path);
    }
}
