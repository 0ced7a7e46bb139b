package io.romadr.activities.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/** TarSanitizer on hand-made archives: what it keeps, how it re-writes names, and every refusal. */
class TarSanitizerTest {

    interface Body {
        void write(TarArchiveOutputStream t) throws IOException;
    }

    static byte[] tar(Body body) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(buf)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            body.write(t);
            t.finish();
        }
        return buf.toByteArray();
    }

    static void dir(TarArchiveOutputStream t, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_DIR, true);
        e.setMode(0755);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
    }

    static void file(TarArchiveOutputStream t, String name, String content, int mode) throws IOException {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(b.length);
        e.setMode(mode);
        t.putArchiveEntry(e);
        t.write(b);
        t.closeArchiveEntry();
    }

    static void link(TarArchiveOutputStream t, byte type, String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setLinkName(target);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
    }

    static void symlink(TarArchiveOutputStream t, String name, String target) throws IOException {
        link(t, TarArchiveEntry.LF_SYMLINK, name, target);
    }

    static void hardlink(TarArchiveOutputStream t, String name, String target) throws IOException {
        link(t, TarArchiveEntry.LF_LINK, name, target);
    }

    private record Seen(String name, byte type, int mode, String linkName, String content) {
    }

    private static List<Seen> read(byte[] tar) throws IOException {
        List<Seen> seen = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                seen.add(new Seen(e.getName(), e.getLinkFlag(), e.getMode() & 07777, e.getLinkName(),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        return seen;
    }

    private static byte[] sanitize(byte[] tar) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TarSanitizer().sanitize(new ByteArrayInputStream(tar), out);
        return out.toByteArray();
    }

    @Test
    void aSafeTreeIsKeptWithNormalisedNamesAndWithoutSetuid() throws IOException {
        String longName = "deep/" + "x".repeat(150) + "/file.txt";
        byte[] in = tar(t -> {
            dir(t, "./");
            dir(t, "./lib/");
            file(t, "./lib//libfoo.so.1", "elf", 04755);
            symlink(t, "lib/libfoo.so", "libfoo.so.1");
            symlink(t, "bin/foo", "../lib/libfoo.so");
            hardlink(t, "lib/copy", "./lib/libfoo.so.1");
            file(t, longName, "long", 0640);
        });
        TarSanitizer.Result result;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        result = new TarSanitizer().sanitize(new ByteArrayInputStream(in), out);
        List<Seen> seen = read(out.toByteArray());
        assertEquals(List.of(
                new Seen("lib/", TarArchiveEntry.LF_DIR, 0755, "", ""),
                new Seen("lib/libfoo.so.1", TarArchiveEntry.LF_NORMAL, 0755, "", "elf"),
                new Seen("lib/libfoo.so", TarArchiveEntry.LF_SYMLINK, 0, "libfoo.so.1", ""),
                new Seen("bin/foo", TarArchiveEntry.LF_SYMLINK, 0, "../lib/libfoo.so", ""),
                new Seen("lib/copy", TarArchiveEntry.LF_LINK, 0, "lib/libfoo.so.1", ""),
                new Seen(longName, TarArchiveEntry.LF_NORMAL, 0640, "", "long")),
                seen.stream()
                        .map(s -> s.type() == TarArchiveEntry.LF_SYMLINK || s.type() == TarArchiveEntry.LF_LINK
                                ? new Seen(s.name(), s.type(), 0, s.linkName(), s.content())
                                : s)
                        .toList());
        assertEquals(7, result.entries()); // "./" is not re-written but counted
        assertEquals(7, result.bytes());
    }

    @Test
    void everyUnsafeEntryIsRefused() throws IOException {
        Map<String, byte[]> hostile = new java.util.LinkedHashMap<>();
        hostile.put("absolute", tar(t -> file(t, "/etc/passwd", "x", 0644)));
        hostile.put("dot-dot", tar(t -> file(t, "a/../../x", "x", 0644)));
        hostile.put("dot-dot-only", tar(t -> file(t, "..", "x", 0644)));
        hostile.put("absolute symlink", tar(t -> symlink(t, "etc", "/etc")));
        hostile.put("escaping symlink", tar(t -> symlink(t, "a/up", "../../x")));
        hostile.put("link chain", tar(t -> {
            symlink(t, "x", ".");
            symlink(t, "y", "x/..");
        }));
        hostile.put("late link chain", tar(t -> {
            symlink(t, "a", "b/..");
            symlink(t, "b", ".");
        }));
        hostile.put("dot-dot out of a name the archive does not make", tar(t -> symlink(t, "a", "maybe-a-link/..")));
        hostile.put("through a symlink", tar(t -> {
            symlink(t, "l", "sub");
            file(t, "l/x", "x", 0644);
        }));
        hostile.put("link loop", tar(t -> {
            symlink(t, "a", "b/c");
            symlink(t, "b", "a/d");
        }));
        hostile.put("hard link out", tar(t -> hardlink(t, "h", "../../etc/shadow")));
        hostile.put("hard link absolute", tar(t -> hardlink(t, "h", "/etc/shadow")));
        hostile.put("hard link to unknown", tar(t -> hardlink(t, "h", "not-in-archive")));
        hostile.put("hard link to a symlink", tar(t -> {
            symlink(t, "s", "f");
            hardlink(t, "h", "s");
        }));
        hostile.put("symlink over a directory", tar(t -> {
            dir(t, "d/");
            symlink(t, "d", ".");
        }));
        hostile.put("char device", tar(t -> link(t, TarArchiveEntry.LF_CHR, "null", "")));
        hostile.put("block device", tar(t -> link(t, TarArchiveEntry.LF_BLK, "sda", "")));
        hostile.put("fifo", tar(t -> link(t, TarArchiveEntry.LF_FIFO, "p", "")));
        for (Map.Entry<String, byte[]> h : hostile.entrySet()) {
            assertThrows(UnsafeArchiveException.class, () -> sanitize(h.getValue()), h.getKey() + " was accepted");
        }
    }

    @Test
    void limitsAreEnforced() throws IOException {
        byte[] three = tar(t -> {
            file(t, "a", "12345", 0644);
            file(t, "b", "12345", 0644);
            file(t, "c", "1", 0644);
        });
        assertThrows(UnsafeArchiveException.class,
                () -> new TarSanitizer(2, 1000).sanitize(new ByteArrayInputStream(three), OutputStreamSink.INSTANCE));
        assertThrows(UnsafeArchiveException.class,
                () -> new TarSanitizer(10, 9).sanitize(new ByteArrayInputStream(three), OutputStreamSink.INSTANCE));
        assertEquals(new TarSanitizer.Result(3, 11),
                new TarSanitizer(3, 11).sanitize(new ByteArrayInputStream(three), OutputStreamSink.INSTANCE));
    }

    @Test
    void aRefusedArchiveLeavesNoTemporaryFile() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = count(tmp);
        byte[] bad = tar(t -> {
            file(t, "ok", "ok", 0644);
            file(t, "../x", "x", 0644);
        });
        assertThrows(UnsafeArchiveException.class,
                () -> new TarSanitizer().sanitizeToFile(new ByteArrayInputStream(bad)));
        assertEquals(before, count(tmp));

        Path good = new TarSanitizer().sanitizeToFile(new ByteArrayInputStream(tar(t -> file(t, "ok", "ok", 0644))));
        try {
            assertTrue(Files.size(good) > 0);
            assertEquals("ok", read(Files.readAllBytes(good)).get(0).content());
        } finally {
            Files.delete(good);
        }
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("roma-dr-copy")).count();
        }
    }

    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
