package io.romadr.activities.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.FailureMessages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names at and just past what a file system holds, through all three readers of untrusted archives (the scan, the
 * extraction, the sanitiser): the limit itself is accepted and really written, one byte more is refused with an
 * {@link UnsafeArchiveException} (never the file system's own error) and nothing is left behind.
 */
@org.junit.jupiter.api.Tag("integration")
class FileSystemLimitsTest {

    @TempDir
    Path tmp;

    private static byte[] tar(String name) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(buf, "UTF-8")) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            t.setAddPaxHeadersForNonAsciiNames(true);
            byte[] data = "x".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name, true);
            e.setSize(data.length);
            e.setMode(0644);
            t.putArchiveEntry(e);
            t.write(data);
            t.closeArchiveEntry();
        }
        return buf.toByteArray();
    }

    private static byte[] gzip(byte[] tar) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
            gz.write(tar);
        }
        return buf.toByteArray();
    }

    private void accepted(String name) throws IOException {
        byte[] tgz = gzip(tar(name));
        new SafeExtractor().scan(new ByteArrayInputStream(tgz), null, 0);
        Path staging = new SafeExtractor().extract(new ByteArrayInputStream(tgz), tmp).directory();
        assertEquals("x", Files.readString(staging.resolve(name)));
        AtomicSwap.deleteTree(staging);
        new TarSanitizer().sanitize(new ByteArrayInputStream(tar(name)), new ByteArrayOutputStream());
    }

    private void refused(String name, String reason) throws IOException {
        byte[] tgz = gzip(tar(name));
        for (UnsafeArchiveException e : List.of(
                assertThrows(UnsafeArchiveException.class,
                        () -> new SafeExtractor().scan(new ByteArrayInputStream(tgz), null, 0)),
                assertThrows(UnsafeArchiveException.class,
                        () -> new SafeExtractor().extract(new ByteArrayInputStream(tgz), tmp)),
                assertThrows(UnsafeArchiveException.class,
                        () -> new TarSanitizer().sanitize(new ByteArrayInputStream(tar(name)),
                                new ByteArrayOutputStream())))) {
            assertTrue(e.reason().contains(reason), e::getMessage);
            assertEquals(name, e.entry());
            assertTrue(e.getMessage().getBytes(StandardCharsets.UTF_8).length <= FailureMessages.MAX_BYTES,
                    e::getMessage);
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "a refused extraction leaves nothing");
        }
    }

    @Test
    void aComponentOf255BytesFitsAnd256DoNot() throws IOException {
        accepted("a".repeat(255));
        accepted("é".repeat(127) + "a"); // 255 bytes of UTF-8
        refused("a".repeat(256), "name component of 256 bytes");
        refused("é".repeat(128), "name component of 256 bytes");
        refused("d/" + "b".repeat(1000) + "/f", "name component of 1000 bytes");
    }

    @Test
    void aPathLongerThanPathMaxBelowTheDirectoryIsRefused() throws IOException {
        String deep = String.join("/", Collections.nCopies(20, "p".repeat(250)));
        refused(deep, "a file system allows");
        long prefix = FileSystemLimits.bytes(tmp.toString()) + 1 + ".roma-staging-".length() + 20;
        String fits = String.join("/", Collections.nCopies(3, "q".repeat(200)));
        assertTrue(prefix + 1 + fits.length() + 1 < FileSystemLimits.PATH_MAX);
        accepted(fits);
    }

    @Test
    void theScanCountsTheRestoreDirectoryInThePath() throws IOException {
        String rel = String.join("/", Collections.nCopies(16, "r".repeat(250))); // 4015 bytes
        byte[] tgz = gzip(tar(rel));
        new SafeExtractor().scan(new ByteArrayInputStream(tgz), null, 0);
        UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class,
                () -> new SafeExtractor().scan(new ByteArrayInputStream(tgz), null, 100));
        assertTrue(e.reason().contains("is longer than the 4095 a file system allows"), e::getMessage);
    }

    /** GNU tar writes a name that is not UTF-8 as it is, in every format: each is refused, never renamed. */
    @Test
    void namesThatAreNotUtf8AreRefusedInEveryFormatOfTheRealTar() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        ArchiveTestSupport.run(src, "sh", "-c", "touch \"$(printf 'bad-\\377-name')\" good");
        Path out = Files.createDirectories(tmp.resolve("out"));
        for (String format : List.of("gnu", "pax", "ustar", "v7")) {
            Path tgz = out.resolve(format + ".tgz");
            ArchiveTestSupport.run(src, "tar", "--format=" + format, "-czf", tgz.toString(), ".");
            UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class,
                    () -> new SafeExtractor().scan(Files.newInputStream(tgz), null), format);
            assertTrue(e.reason().contains("not valid UTF-8"), format + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("bad-"), e.getMessage());
            assertThrows(UnsafeArchiveException.class, () -> new SafeExtractor().extract(Files.newInputStream(tgz),
                    out.resolve("x")), format);
            assertTrue(!Files.exists(out.resolve("x")) || Files.list(out.resolve("x")).findAny().isEmpty(),
                    "nothing extracted");
        }
    }

    @Test
    void messagesAreBoundedAndOneLine() {
        String huge = "entry\nname-" + "\u00e9".repeat(3000);
        String bounded = FailureMessages.bounded("refused: " + huge);
        assertTrue(bounded.getBytes(StandardCharsets.UTF_8).length <= FailureMessages.MAX_BYTES, bounded);
        assertTrue(bounded.startsWith("refused: entry\\nname-"), bounded);
        assertTrue(bounded.endsWith(" bytes, cut)"), bounded);
        assertEquals("short", FailureMessages.bounded("short"));
        UnsafeArchiveException e = new UnsafeArchiveException("n".repeat(5000), "too long");
        assertTrue(e.getMessage().length() < 500, e.getMessage());
        assertTrue(e.getMessage().contains("refused: too long"), e.getMessage());
    }
}
