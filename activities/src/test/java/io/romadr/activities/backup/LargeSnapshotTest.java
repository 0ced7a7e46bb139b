package io.romadr.activities.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.objectstore.LocalObjectStore;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1 GiB of generated state (an eighth random, the rest text-like log lines) snapshotted and verified by a child JVM whose heap
 * is capped far below the archive's size: proves the snapshot streams (engine -> gzip -> store) with memory that does
 * not grow with the data.
 */
@org.junit.jupiter.api.Tag("integration")
class LargeSnapshotTest {
    static final String HEAP = "-Xmx96m";
    static final int FILES = 32;
    static final int FILE_SIZE = 32 << 20; // 32 x 32 MiB = 1 GiB
    static final int CHUNK = 64 << 10;

    @TempDir
    Path tmp;

    private final DockerClient docker = BackupTestSupport.docker();
    private final String project = BackupTestSupport.project();

    @AfterEach
    void tearDown() {
        BackupTestSupport.removeProject(docker, project);
    }

    @Test
    void oneGibibyteSnapshotsInAChildJvmWithA96MibHeap() throws Exception {
        Path state = tmp.resolve("state");
        long generated = generate(state);
        assertEquals(1L << 30, generated);
        BackupTestSupport.startContainer(docker, project, state.toString(), "/data");
        Path storeDir = tmp.resolve("store");
        new LocalObjectStore(storeDir);
        String key = BackupKeys.objectKey(BackupKind.STATE, "large", System.currentTimeMillis(), "big1");
        Path log = tmp.resolve("child.log");

        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
                "-cp", classpath(), SnapshotMain.class.getName(), storeDir.toString(), project,
                BackupTestSupport.SERVICE, "/data", key);
        long t0 = System.nanoTime();
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!child.waitFor(180, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            fail("child JVM did not finish within 180 s:\n" + Files.readString(log));
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        String out = Files.readString(log);
        System.out.println("large snapshot child JVM (" + HEAP + "): " + seconds + " s\n" + out);
        assertEquals(0, child.exitValue(), () -> "child JVM failed:\n" + out);

        Matcher r = Pattern.compile("result ok=true .* size=(\\d+) content=(\\d+) entries=(\\d+) verifiedEntries=(\\d+)"
                + " ").matcher(out);
        assertTrue(r.find(), out);
        BackupManifest m = BackupJson.read(Files.readAllBytes(storeDir.resolve(BackupKeys.manifestKey(key))));
        Path object = storeDir.resolve(key);
        assertEquals(Files.size(object), m.sizeBytes());
        assertEquals(BackupTestSupport.sha256(object), m.sha256());
        assertEquals(generated, m.contentBytes());
        assertEquals(FILES + 1, m.entries(), "the files and the root directory");
        assertEquals(m.entries(), Long.parseLong(r.group(4)), "verify walked every entry");
        assertTrue(m.sizeBytes() > 2 * (96L << 20), "the archive (" + m.sizeBytes() + " bytes) is far bigger than the"
                + " heap, so it cannot have been buffered");
    }

    /** FILES files of FILE_SIZE bytes: every eighth 64 KiB chunk random, the others numbered text lines. */
    static long generate(Path dir) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom random = new SplittableRandom(7);
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        long total = 0;
        long line = 0;
        for (int f = 0; f < FILES; f++) {
            try (FileChannel ch = FileChannel.open(dir.resolve(String.format("part-%02d.dat", f)),
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (int c = 0; c < FILE_SIZE / CHUNK; c++) {
                    chunk.clear();
                    if (c % 8 == 0) {
                        while (chunk.remaining() >= 8) {
                            chunk.putLong(random.nextLong());
                        }
                    } else {
                        while (chunk.hasRemaining()) {
                            byte[] text = ("event " + line++ + " service=roma state=ok value=" + (line * 31 % 977)
                                    + "\n").getBytes(StandardCharsets.US_ASCII);
                            chunk.put(text, 0, Math.min(text.length, chunk.remaining()));
                        }
                    }
                    chunk.flip();
                    while (chunk.hasRemaining()) {
                        total += ch.write(chunk);
                    }
                }
            }
        }
        return total;
    }

    /** The test JVM's classpath, with surefire's manifest-only booter jar expanded. */
    static String classpath() throws IOException {
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (p.getFileName() != null && p.getFileName().toString().startsWith("surefirebooter")) {
                try (JarFile jar = new JarFile(p.toFile())) {
                    Manifest mf = jar.getManifest();
                    String cp = mf == null ? null : mf.getMainAttributes().getValue("Class-Path");
                    if (cp != null) {
                        for (String url : cp.trim().split("\\s+")) {
                            entries.add(Path.of(java.net.URI.create(url)).toString());
                        }
                    }
                }
            } else if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, new ArrayList<>(entries));
    }
}
