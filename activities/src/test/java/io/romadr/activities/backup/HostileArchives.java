package io.romadr.activities.backup;

import io.romadr.activities.objectstore.LocalObjectStore;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * State snapshots no restore can or may write, each as real tar.gz bytes with the entry count and content bytes its
 * manifest must record (so checksum, size and counts all hold and only the entries are wrong). {@code names} is a
 * fragment of the refused entry's name that a failure must quote.
 */
public final class HostileArchives {

    /** One hostile archive. */
    public record Case(String kind, byte[] archive, long entries, long contentBytes, String names) {
        @Override
        public String toString() {
            return kind;
        }
    }

    /** Writes entries into a tar; counts them and their content the way a restore's scan does. */
    public static final class Builder {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar;
        private long entries;
        private long content;

        public Builder() throws IOException {
            this("UTF-8", true);
        }

        Builder(String encoding, boolean paxForNonAscii) throws IOException {
            tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes), encoding);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(paxForNonAscii);
            TarArchiveEntry root = new TarArchiveEntry("./");
            root.setMode(040755);
            put(root, null);
            file("ok.txt", "fine\n");
        }

        public Builder file(String name, String data) throws IOException {
            return file(name, data.getBytes(StandardCharsets.UTF_8));
        }

        Builder file(String name, byte[] data) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, true); // the name exactly as given
            e.setMode(0100644);
            e.setSize(data.length);
            put(e, data);
            content += data.length;
            return this;
        }

        Builder dir(String name) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
            e.setMode(040755);
            return put(e, null);
        }

        Builder symlink(String name, String target) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
            e.setLinkName(target);
            return put(e, null);
        }

        Builder hardlink(String name, String target) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
            e.setLinkName(target);
            return put(e, null);
        }

        Builder special(String name, byte type) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, type, true);
            e.setMode(0644);
            return put(e, null);
        }

        private Builder put(TarArchiveEntry e, byte[] data) throws IOException {
            tar.putArchiveEntry(e);
            if (data != null) {
                tar.write(data);
            }
            tar.closeArchiveEntry();
            entries++;
            return this;
        }

        public Case build(String kind, String names) throws IOException {
            tar.close();
            return new Case(kind, bytes.toByteArray(), entries, content, names);
        }
    }

    private HostileArchives() {
    }

    /**
     * Puts the archive and a manifest that is truthful about it (checksum, size, entries; content bytes as given)
     * into the local directory store at {@code storeDir}, as a state snapshot of {@code plan}.
     */
    public static BackupManifest store(Path storeDir, Case c, String plan, long createdAt, String id,
            long contentBytes) throws IOException {
        String key = BackupKeys.objectKey(BackupKind.STATE, plan, createdAt, id);
        BackupManifest m = new BackupManifest(BackupManifest.FORMAT, BackupKind.STATE, plan, key,
                BackupTestSupport.sha256(c.archive()), c.archive().length, c.entries(), contentBytes,
                "hostile: " + c.kind(), createdAt, "wf-" + id, null, null, null);
        LocalObjectStore local = new LocalObjectStore(storeDir);
        local.put(key, c.archive());
        local.put(BackupKeys.manifestKey(key), BackupJson.write(m));
        return m;
    }

    /** Every kind of entry a restore must refuse while scanning, several inputs of each. */
    public static List<Case> all() throws IOException {
        List<Case> cases = new ArrayList<>();
        // components longer than NAME_MAX (255 bytes), in ASCII and in multi-byte UTF-8
        for (int n : new int[]{256, 300, 1000, 4000}) {
            String part = "n".repeat(n);
            cases.add(new Builder().file("dir/" + part, "x").build("component of " + n + " bytes",
                    part.substring(0, 40)));
        }
        cases.add(new Builder().file("é".repeat(128), "x").build("component of 128 two-byte characters",
                "ééééé"));
        cases.add(new Builder().file("\uD83D\uDE00".repeat(64) + ".txt", "x").build("component of 64 emoji",
                "\uD83D\uDE00\uD83D\uDE00"));
        cases.add(new Builder().dir("d/" + "k".repeat(256)).build("directory name of 256 bytes", "kkkkkkkkkk"));
        cases.add(new Builder().symlink("l".repeat(256), "ok.txt").build("symbolic link name of 256 bytes",
                "llllllllll"));
        // whole paths longer than PATH_MAX (4096 bytes) below the restore directory
        for (int depth : new int[]{17, 40}) {
            String path = String.join("/", java.util.Collections.nCopies(depth, "p".repeat(250))) + "/f";
            cases.add(new Builder().file(path, "x").build("path of " + depth + " components of 250 bytes",
                    "pppppppppp"));
        }
        String justOver = String.join("/", java.util.Collections.nCopies(16, "q".repeat(250))) + "/" + "r".repeat(70);
        cases.add(new Builder().file(justOver, "x").build("path of 4086 bytes, too long below any directory",
                "qqqqqqqqqq"));
        // symbolic link targets a file system cannot store
        cases.add(new Builder().symlink("long-target", "t/".repeat(2500) + "x").build("link target of 5000 bytes",
                "long-target"));
        cases.add(new Builder().symlink("long-component", "c".repeat(300)).build("link target component of 300 bytes",
                "long-component"));
        // names that are not UTF-8, or hold a NUL
        cases.add(new Builder("ISO-8859-1", false).file("bad-\u00ff\u00fe-name", "x").build(
                "name with bytes that are not UTF-8", "bad-"));
        cases.add(new Builder("ISO-8859-1", false).file("dir-\u00e9/ok", "x").build(
                "directory name in Latin-1", "dir-"));
        cases.add(new Builder("ISO-8859-1", false).symlink("latin-link", "caf\u00e9").build(
                "link target in Latin-1", "latin-link"));
        // where an entry would land: absolute, '..', through or to links
        cases.add(new Builder().file("/etc/roma-dr-hostile", "x").build("absolute path", "/etc/roma-dr-hostile"));
        cases.add(new Builder().file("../escape", "x").build("'..' at the start", "../escape"));
        cases.add(new Builder().file("a/../../escape", "x").build("'..' in the middle", "a/../../escape"));
        cases.add(new Builder().symlink("abs", "/etc").build("absolute link target", "abs"));
        cases.add(new Builder().symlink("up", "../../..").build("link target that climbs out", "up"));
        cases.add(new Builder().symlink("here", ".").symlink("out", "here/..").build("chain of links that escapes",
                "out"));
        cases.add(new Builder().symlink("sub", "ok.txt").file("sub/x", "x").build("file below a link", "sub/x"));
        cases.add(new Builder().hardlink("h1", "/etc/passwd").build("hard link to an absolute path", "h1"));
        cases.add(new Builder().hardlink("h2", "../outside").build("hard link out of the archive", "h2"));
        cases.add(new Builder().hardlink("h3", "not-there").build("hard link to nothing earlier", "h3"));
        Builder links = new Builder().file("target", "x");
        for (int i = 0; i < 65_000; i++) {
            links.hardlink("h" + i, "target");
        }
        cases.add(links.build("65001 names for one file", "h64999"));
        // entry types a restore never writes
        cases.add(new Builder().special("dev-char", TarConstants.LF_CHR).build("character device", "dev-char"));
        cases.add(new Builder().special("dev-block", TarConstants.LF_BLK).build("block device", "dev-block"));
        cases.add(new Builder().special("fifo", TarConstants.LF_FIFO).build("fifo", "fifo"));
        cases.add(new Builder().special("odd", (byte) 'Z').build("unknown entry type", "odd"));
        // a file and a directory with the same name
        cases.add(new Builder().file("f", "x").file("f/g", "x").build("file below a file", "f/g"));
        cases.add(new Builder().dir("d").file("d", "x").build("file replacing a directory", "d"));
        cases.add(new Builder().dir("e").symlink("e", "ok.txt").build("link replacing a directory", "e"));
        return cases;
    }
}
