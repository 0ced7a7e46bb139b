package io.romadr.activities.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.backup.FileDigest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

/** The docker-cp-tar to stored-tar.gz transformation, without an engine. */
class SnapshotArchiverTest {

    /** A tar as docker cp of /srv/data sends it: every entry under "data". */
    private static byte[] dockerTar(byte[] big) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            dir(tar, "data/", 0750);
            file(tar, "data/big.bin", big, 0644);
            dir(tar, "data/out/", 0755);
            file(tar, "data/out/r.json", "{}".getBytes(StandardCharsets.UTF_8), 0644);
            file(tar, "data/out/s.txt", "s".getBytes(StandardCharsets.UTF_8), 0644);
            TarArchiveEntry link = new TarArchiveEntry("data/link.json", TarConstants.LF_SYMLINK);
            link.setLinkName("out/r.json");
            link.setMode(0120777);
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            TarArchiveEntry hard = new TarArchiveEntry("data/hard", TarConstants.LF_LINK);
            hard.setLinkName("data/out/s.txt");
            tar.putArchiveEntry(hard);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static void dir(TarArchiveOutputStream tar, String name, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040000 | mode);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] data, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100000 | mode);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static List<String> names(byte[] tarGz) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new GZIPInputStream(
                new ByteArrayInputStream(tarGz)))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName() + (e.isSymbolicLink() || e.isLink() ? " -> " + e.getLinkName() : "")
                        + " " + Integer.toOctalString(e.getMode() & 07777));
            }
        }
        return names;
    }

    @Test
    void stripsThePrefixKeepsLinksAndModesAndIsDeterministicAcrossManyBlocks() throws IOException {
        byte[] big = new byte[600_000];
        new Random(3).nextBytes(big);
        byte[] input = dockerTar(big);
        SnapshotArchiver archiver = new SnapshotArchiver(2, 64 * 1024, 6); // ~10 gzip blocks on 2 threads
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        long[] progress = {0};

        SnapshotArchiver.Result a = archiver.write(new ByteArrayInputStream(input), null, first, n -> progress[0] = n);
        SnapshotArchiver.Result b = archiver.write(new ByteArrayInputStream(input), null, second, n -> {
        });

        assertArrayEquals(first.toByteArray(), second.toByteArray(), "same input, same bytes (resume relies on it)");
        assertEquals(a, b);
        assertEquals(first.size(), a.sizeBytes());
        assertEquals(a.sizeBytes(), progress[0]);
        assertEquals(BackupTestSupport.sha256(first.toByteArray()), a.sha256());
        assertEquals(List.of("./ 750", "big.bin 644", "out/ 755", "out/r.json 644", "out/s.txt 644",
                "link.json -> out/r.json 777", "hard -> out/s.txt 644"), names(first.toByteArray()));
        assertEquals(7, a.entries());
        assertEquals(big.length + 3, a.contentBytes());
        assertEquals(List.of(), a.files());
    }

    @Test
    void includeGlobsKeepOnlyMatchingRegularFilesWithTheirParentsAndDigests() throws IOException {
        byte[] input = dockerTar(new byte[10]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        SnapshotArchiver.Result r = new SnapshotArchiver().write(new ByteArrayInputStream(input),
                List.of("**.json"), out, n -> {
                });

        assertEquals(List.of("./ 750", "out/ 755", "out/r.json 644"), names(out.toByteArray()),
                "the symlink named .json and the other files stay out");
        assertEquals(List.of(new FileDigest("out/r.json", 2,
                BackupTestSupport.sha256("{}".getBytes(StandardCharsets.UTF_8)))), r.files());
        assertEquals(3, r.entries());
        assertEquals(2, r.contentBytes());
        assertTrue(r.sizeBytes() > 0);
    }
}
