package io.romadr.activities.archive;

import static io.romadr.activities.archive.ArchiveTestSupport.listing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crafted hostile tar.gz files: each refused, entry named, nothing written outside staging, nothing left behind. */
class SafeExtractorHostileArchiveTest {

    @TempDir
    Path tmp;
    Path root; // the staging parent; staging is tmp/a/b/root/.roma-staging-*, so ../../x from it lands in tmp/a/b

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("a/b/root"));
        Files.writeString(root.resolve("existing"), "keep");
    }

    /** A tiny tar builder: entries are (type, name, linkTarget or content). */
    private static final class Tar {
        final ByteArrayOutputStream bos = new ByteArrayOutputStream();
        final TarArchiveOutputStream tar;

        Tar() throws IOException {
            tar = new TarArchiveOutputStream(new GZIPOutputStream(bos));
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        Tar file(String name, String content) throws IOException {
            byte[] b = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name, true); // preserve absolute / leading-slash names as given
            e.setSize(b.length);
            tar.putArchiveEntry(e);
            tar.write(b);
            tar.closeArchiveEntry();
            return this;
        }

        Tar dir(String name) throws IOException {
            tar.putArchiveEntry(new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true));
            tar.closeArchiveEntry();
            return this;
        }

        Tar link(byte type, String name, String target) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, type, true);
            e.setLinkName(target);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        Tar special(byte type, String name) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, type, true);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        byte[] bytes() throws IOException {
            tar.close();
            return bos.toByteArray();
        }
    }

    private void assertRefused(byte[] archive, String entry, String reasonPart) throws IOException {
        assertRefused(new SafeExtractor(), archive, entry, reasonPart);
    }

    private void assertRefused(SafeExtractor extractor, byte[] archive, String entry, String reasonPart)
            throws IOException {
        List<String> before = listing(tmp);
        UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class,
                () -> extractor.extract(new ByteArrayInputStream(archive), root));
        assertEquals(entry, e.entry(), e.getMessage());
        assertTrue(e.reason().contains(reasonPart), e.getMessage());
        assertTrue(e.getMessage().contains(entry), e.getMessage());
        assertEquals(before, listing(tmp), "nothing written outside staging and staging deleted");
        assertEquals("keep", Files.readString(root.resolve("existing")));
        // the verify-only scan refuses the same entry for the same reason, writing nothing at all
        UnsafeArchiveException scanned = assertThrows(UnsafeArchiveException.class,
                () -> extractor.scan(new ByteArrayInputStream(archive), null));
        assertEquals(entry, scanned.entry(), scanned.getMessage());
        assertTrue(scanned.reason().contains(reasonPart), scanned.getMessage());
        assertEquals(before, listing(tmp), "scan writes nothing");
    }

    @Test
    void traversal() throws IOException {
        assertRefused(new Tar().file("ok.txt", "fine").file("../../x", "pwned").bytes(), "../../x", "'..'");
        assertRefused(new Tar().file("d/../../../x", "pwned").bytes(), "d/../../../x", "'..'");
    }

    @Test
    void absolutePath() throws IOException {
        assertRefused(new Tar().file("/tmp/x", "pwned").bytes(), "/tmp/x", "absolute path");
    }

    @Test
    void symlinkEscapes() throws IOException {
        assertRefused(new Tar().link(TarConstants.LF_SYMLINK, "esc", "../../../x").bytes(), "esc", "escapes");
        assertRefused(new Tar().link(TarConstants.LF_SYMLINK, "abs", "/etc/passwd").bytes(), "abs",
                "absolute symbolic link target");
        assertRefused(new Tar().dir("d").link(TarConstants.LF_SYMLINK, "d/up", "../..").bytes(), "d/up", "escapes");
    }

    @Test
    void symlinkThenFileThroughIt() throws IOException {
        // a link that stays inside, then a file written through it: refused because nothing is written through a link
        assertRefused(new Tar().dir("real").link(TarConstants.LF_SYMLINK, "via", "real")
                .file("via/x", "through the link").bytes(), "via/x", "is a symbolic link");
        // the classic: link to the outside (refused at the link already)
        assertRefused(new Tar().link(TarConstants.LF_SYMLINK, "out", "../../..").file("out/x", "pwned").bytes(), "out",
                "escapes");
    }

    @Test
    void symlinkChainEscapesThroughAnotherLink() throws IOException {
        // "chain" -> dot/../x is inside lexically when written; "dot" -> "." comes later and makes it staging/../x
        assertRefused(new Tar().link(TarConstants.LF_SYMLINK, "chain", "dot/../x")
                .link(TarConstants.LF_SYMLINK, "dot", ".").bytes(), "chain", "through other links");
        // lexically outside already when written
        assertRefused(new Tar().dir("sub").link(TarConstants.LF_SYMLINK, "sub/c2", "../dot/../../y").bytes(), "sub/c2",
                "escapes");
    }

    @Test
    void hardLinkEscapes() throws IOException {
        assertRefused(new Tar().link(TarConstants.LF_LINK, "h", "../../../etc/passwd").bytes(), "h", "'..'");
        assertRefused(new Tar().link(TarConstants.LF_LINK, "h", "/etc/passwd").bytes(), "h", "absolute path");
        assertRefused(new Tar().link(TarConstants.LF_LINK, "h", "later").file("later", "x").bytes(), "h",
                "extracted earlier");
    }

    @Test
    void deviceAndFifoNodes() throws IOException {
        assertRefused(new Tar().file("ok", "x").special(TarConstants.LF_CHR, "dev/null-ish").bytes(), "dev/null-ish",
                "device or fifo");
        assertRefused(new Tar().special(TarConstants.LF_BLK, "sda").bytes(), "sda", "device or fifo");
        assertRefused(new Tar().special(TarConstants.LF_FIFO, "pipe").bytes(), "pipe", "device or fifo");
    }

    @Test
    void tooManyEntriesAndTooManyBytes() throws IOException {
        Tar t = new Tar();
        for (int i = 0; i < 1001; i++) {
            t.file("f" + i, "");
        }
        assertRefused(new SafeExtractor(1000, Long.MAX_VALUE), t.bytes(), "f1000", "more than 1000 entries");
        assertRefused(new SafeExtractor(1000, 10), new Tar().file("a", "12345").file("b", "123456").bytes(), "b",
                "total size");
    }

    @Test
    void aCleanArchiveStillExtracts() throws IOException {
        SafeExtractor.ExtractResult r = new SafeExtractor().extract(new ByteArrayInputStream(new Tar().dir("d")
                .file("d/f", "x").link(TarConstants.LF_SYMLINK, "l", "d/f").link(TarConstants.LF_LINK, "h", "d/f")
                .bytes()),
                root);
        assertEquals(4, r.entries());
        byte[] clean = new Tar().dir("d").file("d/f", "x").link(TarConstants.LF_SYMLINK, "l", "d/f")
                .link(TarConstants.LF_LINK, "h", "d/f").bytes();
        List<String> seen = new java.util.ArrayList<>();
        SafeExtractor.ScanResult scanned = new SafeExtractor().scan(new ByteArrayInputStream(clean),
                (path, entry, content) -> seen.add(path + "=" + new String(content.readAllBytes())));
        assertEquals(4, scanned.entries());
        assertEquals(1, scanned.bytes());
        assertEquals(List.of("d/f=x"), seen, "the visitor sees regular files with their content");
        assertEquals("x", Files.readString(r.directory().resolve("l")));
        assertEquals("x", Files.readString(r.directory().resolve("h")));
    }
}
