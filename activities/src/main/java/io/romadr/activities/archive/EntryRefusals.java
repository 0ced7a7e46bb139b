package io.romadr.activities.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * The refusals {@link SafeExtractor} (scan and extraction) and {@link TarSanitizer} apply to an entry the same way,
 * in one place so that the three cannot drift apart: what each does with the entry afterwards differs (a model, a
 * staging directory, a re-written archive), what it refuses does not.
 */
final class EntryRefusals {
    private EntryRefusals() {
    }

    /**
     * The entry's normalised relative name, after the refusals that need only the entry: more than {@code maxEntries}
     * entries, devices and fifos, unsafe names. "" only for a directory entry naming the root itself ("./").
     */
    static String checkedName(TarArchiveEntry entry, long entries, long maxEntries) throws UnsafeArchiveException {
        String raw = entry.getName();
        if (entries > maxEntries) {
            throw new UnsafeArchiveException(raw, "more than " + maxEntries + " entries");
        }
        if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            throw new UnsafeArchiveException(raw, "device or fifo entry (type '" + (char) entry.getLinkFlag() + "')");
        }
        String name = relativeName(raw, raw);
        if (name.isEmpty() && !entry.isDirectory()) {
            throw new UnsafeArchiveException(raw, "empty path");
        }
        return name;
    }

    /** A symbolic link's target must be present, relative, without NUL and storable as it is. */
    static void requireRelativeLinkTarget(String target, String name) throws UnsafeArchiveException {
        if (target == null || target.isEmpty() || target.indexOf('\0') >= 0) {
            throw new UnsafeArchiveException(name, "empty or invalid symbolic link target");
        }
        if (target.startsWith("/")) {
            throw new UnsafeArchiveException(name, "absolute symbolic link target '" + target + "'");
        }
        FileSystemLimits.requireLinkTargetFits(target, name);
    }

    /** A file of {@code size} bytes after {@code bytes} already taken must stay within {@code maxTotalBytes}. */
    static void requireWithinTotal(long size, long bytes, long maxTotalBytes, String name)
            throws UnsafeArchiveException {
        if (size < 0 || bytes + size > maxTotalBytes || bytes + size < 0) {
            throw new UnsafeArchiveException(name, "total size would exceed " + maxTotalBytes + " bytes");
        }
    }

    /** A regular file of a kind every extractor writes the same way (not sparse, not an unknown type). */
    static boolean isPlainFile(TarArchiveEntry entry) {
        byte flag = entry.getLinkFlag();
        return entry.isFile() && !entry.isSparse()
                && (flag == TarArchiveEntry.LF_NORMAL || flag == TarArchiveEntry.LF_OLDNORM || flag == '7');
    }

    /** What is left after links, directories and plain files: refused. */
    static UnsafeArchiveException unsupportedType(TarArchiveEntry entry, String name) {
        return new UnsafeArchiveException(name, "unsupported entry type '" + (char) entry.getLinkFlag() + "'"
                + (entry.isSparse() ? " (sparse)" : ""));
    }

    /** Normalises a name to a relative path ("" for the root), refusing absolute, NUL and '..' names. */
    static String relativeName(String raw, String entryName) throws UnsafeArchiveException {
        if (raw.indexOf('\0') >= 0) {
            throw new UnsafeArchiveException(entryName, "NUL in path");
        }
        if (raw.startsWith("/")) {
            throw new UnsafeArchiveException(entryName, "absolute path '" + raw + "'");
        }
        StringBuilder sb = new StringBuilder();
        for (String part : raw.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new UnsafeArchiveException(entryName, "'..' in path '" + raw + "'");
            }
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    /** The parent of a normalised relative name ("" for a name at the root). */
    static String parentOf(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }
}
