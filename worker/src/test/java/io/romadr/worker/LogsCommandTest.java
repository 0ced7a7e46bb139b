package io.romadr.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.digest.Sha256;
import io.romadr.backup.LogKeys;
import io.romadr.backup.LogManifest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** roma-dr logs on a local backup store: what it writes, and what it refuses. */
class LogsCommandTest {
    private static final long T0 = Instant.parse("2026-12-07T10:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path dir;

    private record Run(int exit, String err) {
    }

    private Run logs(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = WorkerMain.commandLine();
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new java.util.ArrayList<>(List.of("logs", "--plans", dir.resolve("plans").toString()));
        all.addAll(List.of(args));
        return new Run(cli.execute(all.toArray(String[]::new)), err.toString());
    }

    private void plan(String name, boolean logs) throws Exception {
        Files.createDirectories(dir.resolve("plans"));
        Files.writeString(dir.resolve("plans").resolve(name + ".yaml"), """
                name: %s
                service:
                  composeProject: demo
                  containers: [{ service: web }]
                  healthChecks:
                    - name: up
                      http: { url: "http://127.0.0.1:8080/health" }
                rto: { service: 15m }
                backup:
                  store: { uri: "file://%s" }
                """.formatted(name, dir.resolve("store")) + (logs ? "  logs: { retention: 30d }\n" : ""));
    }

    /** One shipped object of web with {@code text} lines one second apart from {@code from}, manifest last. */
    private LogManifest ship(long from, long to, String... text) throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            for (int i = 0; i < text.length; i++) {
                String stamp = io.romadr.activities.docker.ContainerLogLines.TIMESTAMP
                        .format(Instant.ofEpochMilli(from + 1000L * (i + 1)));
                out.write((stamp + " demo-web-1 stdout " + text[i] + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] bytes = gz.toByteArray();
        String key = LogKeys.objectKey("demo", "web", from, to);
        Path object = dir.resolve("store").resolve(key);
        Files.createDirectories(object.getParent());
        Files.write(object, bytes);
        LogManifest m = new LogManifest(LogManifest.FORMAT, "demo", "web", from, to, key, Sha256.hex(bytes),
                bytes.length, text.length, "", "", List.of("demo-web-1"), to, "wf");
        Files.write(dir.resolve("store").resolve(m.manifestKey()), new ObjectMapper().writeValueAsBytes(m));
        return m;
    }

    @Test
    void theRangeIsWrittenToTheFileInOrder() throws Exception {
        plan("demo", true);
        ship(T0, T0 + HOUR, "one", "two");
        ship(T0 + HOUR, T0 + 2 * HOUR, "three");
        Path out = dir.resolve("web.log");
        Run r = logs("--plan", "demo", "--since", Instant.ofEpochMilli(T0).toString(), "--until",
                Instant.ofEpochMilli(T0 + 2 * HOUR).toString(), "--output", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("one", "two", "three"), Files.readAllLines(out).stream()
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList());
        assertTrue(r.err().contains("3 line(s) of [web] from 2 object(s)"), r.err());
    }

    @Test
    void aCorruptedObjectIsAnErrorNamingItAndNoFileIsLeft() throws Exception {
        plan("demo", true);
        ship(T0, T0 + HOUR, "one");
        LogManifest bad = ship(T0 + HOUR, T0 + 2 * HOUR, "two");
        Files.write(dir.resolve("store").resolve(bad.objectKey()), new byte[]{31, -117, 8, 0, 0});
        Path out = dir.resolve("web.log");
        Run r = logs("--plan", "demo", "--since", "3650d", "--output", out.toString());
        assertEquals(6, r.exit(), r.err());
        assertTrue(r.err().contains(bad.objectKey()) && r.err().contains("corrupt"), r.err());
        assertFalse(Files.exists(out), "a failed read leaves no file");
        assertFalse(Files.exists(dir.resolve("web.log.partial")), "a failed read leaves no partial file");
    }

    @Test
    void aHoleExitsOneAndAPlanWithoutLogsOrABadTimeIsAUsageError() throws Exception {
        plan("demo", true);
        ship(T0, T0 + HOUR, "one");
        ship(T0 + 2 * HOUR, T0 + 3 * HOUR, "three");
        Run hole = logs("--plan", "demo", "--since", "3650d", "--output", dir.resolve("x.log").toString());
        assertEquals(1, hole.exit(), hole.err());
        assertTrue(hole.err().contains("web: no logs shipped between 20261207T110000.000Z and 20261207T120000.000Z"),
                hole.err());

        plan("nologs", false);
        Run none = logs("--plan", "nologs", "--since", "1h");
        assertEquals(2, none.exit(), none.err());
        assertTrue(none.err().contains("has no backup.logs section"), none.err());
        Run badTime = logs("--plan", "demo", "--since", "yesterday");
        assertEquals(2, badTime.exit(), badTime.err());
        assertTrue(badTime.err().contains("neither a time such as"), badTime.err());
        Run badService = logs("--plan", "demo", "--service", "db", "--since", "1h");
        assertEquals(2, badService.exit(), badService.err());
    }
}
