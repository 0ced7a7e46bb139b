package io.romadr.activities.archive;

import static io.romadr.activities.archive.ArchiveTestSupport.listing;
import static io.romadr.activities.archive.ArchiveTestSupport.mixed;
import static io.romadr.activities.archive.ArchiveTestSupport.run;
import static io.romadr.activities.archive.ArchiveTestSupport.sha256;
import static io.romadr.activities.archive.ArchiveTestSupport.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** roma-dr archives vs the real tar and gzip binaries, both directions; checksum gate; atomic swap. */
@org.junit.jupiter.api.Tag("integration")
class TarInteropArchiveTest {

    @TempDir
    Path tmp;

    private Path sampleTree() throws Exception {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("state/logs/deep/er/still"));
        Files.write(src.resolve("state/data.bin"), mixed(3 << 20, 7));
        Files.writeString(src.resolve("state/logs/app.log"), "hello\n".repeat(10_000));
        Files.write(src.resolve("empty"), new byte[0]);
        Path exe = src.resolve("run.sh");
        Files.writeString(exe, "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(src.resolve("empty"), PosixFilePermissions.fromString("r--------"));
        String longName = "x".repeat(120) + "/" + "y".repeat(150) + ".txt"; // > 100 chars: PAX path
        Files.createDirectories(src.resolve(longName).getParent());
        Files.writeString(src.resolve(longName), "long");
        Files.writeString(src.resolve("ünïcødé.txt"), "utf8");
        Files.createSymbolicLink(src.resolve("link-rel"), Path.of("state/data.bin"));
        Files.createSymbolicLink(src.resolve("state/logs/up"), Path.of("../data.bin"));
        Files.createSymbolicLink(src.resolve("dangling"), Path.of("nowhere/at/all"));
        Path ro = src.resolve("readonly-dir");
        Files.createDirectories(ro);
        Files.writeString(ro.resolve("inside"), "x");
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.setLastModifiedTime(src.resolve("state/data.bin"), FileTime.fromMillis(1_500_000_000_000L));
        Files.setLastModifiedTime(src.resolve("state/logs/deep"), FileTime.fromMillis(1_400_000_000_000L));
        return src;
    }

    @Test
    void romaArchiveExtractsWithTarXzfIdentically() throws Exception {
        Path src = sampleTree();
        Path archive = tmp.resolve("snap.tar.gz");
        ArchiveWriter.ArchiveResult r;
        try (OutputStream out = Files.newOutputStream(archive)) {
            r = new ArchiveWriter(2, 256 * 1024, 6).writeDirectory(src, out);
        }
        assertEquals(Files.size(archive), r.compressedBytes());
        assertEquals(sha256(archive), r.sha256());
        assertEquals(snapshot(src).size(), r.entries());
        run(tmp, "gzip", "-t", archive.toString());

        Path out = Files.createDirectories(tmp.resolve("by-tar"));
        run(out, "tar", "xzf", archive.toString());
        assertEquals(snapshot(src), snapshot(out));
        String listing = run(tmp, "tar", "tzvf", archive.toString());
        assertTrue(listing.contains("link-rel -> state/data.bin"), listing);

        // and roma-dr's own extractor gives the same tree
        SafeExtractor.ExtractResult x;
        try (InputStream in = Files.newInputStream(archive)) {
            x = new SafeExtractor().verifyThenExtract(in, r.sha256(), tmp.resolve("restore-root"));
        }
        assertEquals(r.entries(), x.entries());
        assertEquals(snapshot(src), snapshot(x.directory()));
    }

    @Test
    void tarCzfArchiveExtractsWithSafeExtractor() throws Exception {
        Path src = sampleTree();
        Files.createLink(src.resolve("hard-of-log"), src.resolve("state/logs/app.log"));
        Path archive = tmp.resolve("by-tar.tar.gz");
        run(src, "tar", "czf", archive.toString(), ".");
        SafeExtractor.ExtractResult x;
        try (InputStream in = Files.newInputStream(archive)) {
            x = new SafeExtractor().extract(in, tmp.resolve("root"));
        }
        assertEquals(snapshot(src), snapshot(x.directory()));
        assertEquals(Files.readAttributes(x.directory().resolve("hard-of-log"), "unix:ino"),
                Files.readAttributes(x.directory().resolve("state/logs/app.log"), "unix:ino"),
                "hard link restored as a link");
        assertTrue(x.directory().getFileName().toString().startsWith(".roma-staging-"));
    }

    @Test
    void recompressedTarStreamMatchesDirectoryArchive() throws Exception {
        Path src = sampleTree();
        Path plain = tmp.resolve("plain.tar");
        run(src, "tar", "cf", plain.toString(), ".");
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ArchiveWriter.ArchiveResult r;
        try (InputStream in = Files.newInputStream(plain)) {
            r = new ArchiveWriter().recompress(in, bos);
        }
        assertEquals(snapshot(src).size() + 1, r.entries(), "tar cf . has a './' entry too");
        Path gz = tmp.resolve("re.tar.gz");
        Files.write(gz, bos.toByteArray());
        Path out = Files.createDirectories(tmp.resolve("re"));
        run(out, "tar", "xzf", gz.toString());
        assertEquals(snapshot(src), snapshot(out));
    }

    @Test
    void oneFlippedByteIsRefusedByTheChecksumBeforeAnyExtraction() throws Exception {
        Path src = sampleTree();
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ArchiveWriter.ArchiveResult r = new ArchiveWriter().writeDirectory(src, bos);
        byte[] bytes = bos.toByteArray();
        bytes[bytes.length / 2] ^= 0x01;
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.writeString(root.resolve("untouched"), "keep");
        List<String> before = listing(tmp);
        UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class,
                () -> new SafeExtractor().verifyThenExtract(new ByteArrayInputStream(bytes), r.sha256(), root));
        assertNull(e.entry());
        assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
        assertEquals(before, listing(tmp), "nothing extracted, temp download removed");
    }

    @Test
    void restoreSwapsAtomicallyAndRecoversAnInterruptedSwap() throws Exception {
        Path src = sampleTree();
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ArchiveWriter.ArchiveResult r = new ArchiveWriter().writeDirectory(src, bos);
        Path target = Files.createDirectories(tmp.resolve("site/state"));
        Files.writeString(target.resolve("old-file"), "old");

        new SafeExtractor().restore(new ByteArrayInputStream(bos.toByteArray()), r.sha256(), target);
        assertEquals(snapshot(src), snapshot(target));
        assertEquals(List.of("", "state"), listing(tmp.resolve("site")).stream()
                .filter(p -> !p.contains("/")).toList(), "no staging or old copy left beside the target");

        // a crash between "old aside" and "staging in": the target is missing, the complete old copy is aside
        Path aside = AtomicSwap.asideName(target);
        Files.move(target, aside);
        AtomicSwap.recover(target);
        assertTrue(Files.isDirectory(target));
        assertFalse(Files.exists(aside));
        assertEquals(snapshot(src), snapshot(target));

        // a failed restore (bad checksum) leaves the current target as it was
        TreeMap<String, String> current = snapshot(target);
        assertThrows(UnsafeArchiveException.class, () -> new SafeExtractor().restore(
                new ByteArrayInputStream("not a tar".getBytes(StandardCharsets.UTF_8)), r.sha256(), target));
        assertEquals(current, snapshot(target));
    }
}
