package io.romadr.activities.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.digest.Sha256;
import io.romadr.activities.objectstore.LocalObjectStore;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.backup.LogKeys;
import io.romadr.backup.LogManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shipped logs in a local store: cut-offs, retention, and reading a range back verified. */
class ShippedLogStoreTest {
    private static final long T0 = Instant.parse("2026-12-07T10:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path dir;

    private static String line(long epochMillis, String container, String text) {
        return io.romadr.activities.docker.ContainerLogLines.TIMESTAMP.format(Instant.ofEpochMilli(epochMillis))
                + " " + container + " stdout " + text;
    }

    /** Stores the lines as one shipped object of (from, to], manifest last. */
    private static LogManifest ship(ObjectStore store, String service, long from, long to, List<String> lines)
            throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            for (String l : lines) {
                out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] bytes = gz.toByteArray();
        String key = LogKeys.objectKey("roma", service, from, to);
        store.put(key, bytes);
        LogManifest m = new LogManifest(LogManifest.FORMAT, "roma", service, from, to, key, Sha256.hex(bytes),
                bytes.length, lines.size(), "", "", List.of(), to, "wf");
        new ShippedLogStore(store).commit(m);
        return m;
    }

    @Test
    void theCutoffIsTheNewestShippedEndAndAnObjectWithoutManifestDoesNotCount() throws IOException {
        ObjectStore store = new LocalObjectStore(dir);
        ShippedLogStore logs = new ShippedLogStore(store);
        assertTrue(logs.lastCutoff("roma", "web").none());
        ship(store, "web", T0, T0 + HOUR, List.of());
        ship(store, "web", T0 + HOUR, T0 + 2 * HOUR, List.of());
        // A crash between the object and its manifest: not shipped, the range's retry overwrites it.
        store.put(LogKeys.objectKey("roma", "web", T0 + 2 * HOUR, T0 + 3 * HOUR), new byte[]{1});
        assertEquals(T0 + 2 * HOUR, logs.lastCutoff("roma", "web").cutoff());
        assertEquals(0, logs.lastCutoff("roma", "db").cutoff());
        assertEquals(LogKeys.Range.class, LogKeys.range(LogKeys.objectKey("roma", "web", T0, T0 + 1)).get()
                .getClass());
        assertEquals(new LogKeys.Range(T0, T0 + 1), LogKeys.range(LogKeys.objectKey("roma", "web", T0, T0 + 1))
                .get());
    }

    @Test
    void retentionDeletesTheObjectsThatEndedBeforeItsLimitAndTheirManifests() throws IOException {
        ObjectStore store = new LocalObjectStore(dir);
        ShippedLogStore logs = new ShippedLogStore(store);
        ship(store, "web", T0, T0 + HOUR, List.of());
        ship(store, "web", T0 + HOUR, T0 + 2 * HOUR, List.of());
        store.put(LogKeys.objectKey("roma", "web", T0 - HOUR, T0), new byte[]{1});
        assertEquals(1, logs.prune("roma", "web", T0 + HOUR + 1));
        assertEquals(List.of(T0 + HOUR), logs.manifests("roma", "web").stream().map(LogManifest::from).toList());
        assertEquals(2, store.list("logs/roma/web/").size(), store.list("logs/roma/web/").toString());
    }

    @Test
    void aRangeIsReadInTimeOrderAcrossObjectsAndServicesWithinItsBounds() throws IOException {
        ObjectStore store = new LocalObjectStore(dir);
        ship(store, "web", T0, T0 + HOUR, List.of(line(T0 + 10, "web-1", "w1"), line(T0 + 30, "web-1", "w2")));
        ship(store, "web", T0 + HOUR, T0 + 2 * HOUR, List.of(line(T0 + HOUR + 5, "web-1", "w3")));
        ship(store, "db", T0, T0 + 2 * HOUR, List.of(line(T0 + 20, "db-1", "d1"), line(T0 + HOUR + 5, "db-1", "d2"),
                line(T0 + HOUR + 50, "db-1", "d3")));
        List<String> got = new ArrayList<>();
        ShippedLogReader.Result r = new ShippedLogReader(new ShippedLogStore(store)).read("roma",
                List.of("web", "db"), Instant.ofEpochMilli(T0 + 20), Instant.ofEpochMilli(T0 + HOUR + 50),
                got::add, w -> {
                });
        // since inclusive, until exclusive; lines of the same instant keep the order of the services asked.
        assertEquals(List.of("d1", "w2", "w3", "d2"), got.stream().map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .toList());
        assertEquals(4, r.lines());
        assertEquals(3, r.objects());
        assertTrue(r.gaps().isEmpty(), r.gaps().toString());
    }

    @Test
    void aCorruptedObjectIsAnErrorNamingItAndNoLineIsGivenOut() throws IOException {
        ObjectStore store = new LocalObjectStore(dir);
        ship(store, "web", T0, T0 + HOUR, List.of(line(T0 + 10, "web-1", "fine")));
        LogManifest bad = ship(store, "web", T0 + HOUR, T0 + 2 * HOUR, List.of(line(T0 + HOUR + 1, "web-1", "x")));
        store.put(bad.objectKey(), new byte[]{31, -117, 8, 0});
        List<String> got = new ArrayList<>();
        IOException e = assertThrows(IOException.class, () -> new ShippedLogReader(new ShippedLogStore(store))
                .read("roma", List.of("web"), Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 2 * HOUR),
                        got::add, w -> {
                        }));
        assertTrue(e.getMessage().contains(bad.objectKey()) && e.getMessage().contains("corrupt"), e.getMessage());
        assertEquals(List.of(), got);
    }

    @Test
    void rangesShippedByTwoRunsAtOnceOverlapAndEachLineIsGivenOnce() throws IOException {
        ObjectStore store = new LocalObjectStore(dir);
        String a = line(T0 + 10, "web-1", "a");
        String b = line(T0 + HOUR - 5, "web-1", "b");
        String c = line(T0 + HOUR + 5, "web-1", "c");
        // A schedule's run and a manual one read the same cut-off and ended 2 s apart; the next run went on.
        String d = line(T0 + HOUR + 3000, "web-1", "d");
        ship(store, "web", T0, T0 + HOUR, List.of(a, b));
        ship(store, "web", T0, T0 + HOUR + 2000, List.of(a, b, c));
        ship(store, "web", T0 + HOUR + 2000, T0 + 2 * HOUR, List.of(d));
        List<String> got = new ArrayList<>();
        ShippedLogReader.Result r = new ShippedLogReader(new ShippedLogStore(store)).read("roma", List.of("web"),
                Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 2 * HOUR), got::add, w -> {
                });
        assertEquals(List.of(a, b, c, d), got);
        assertTrue(r.gaps().isEmpty(), r.gaps().toString());
    }

    @Test
    void aHoleBetweenShippedRangesIsTold() throws IOException {
        ObjectStore store = new LocalObjectStore(dir);
        ship(store, "web", T0, T0 + HOUR, List.of());
        ship(store, "web", T0 + 2 * HOUR, T0 + 3 * HOUR, List.of());
        List<String> err = new ArrayList<>();
        ShippedLogReader.Result r = new ShippedLogReader(new ShippedLogStore(store)).read("roma", List.of("web"),
                Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 3 * HOUR), l -> {
                }, err::add);
        assertEquals(List.of("web: no logs shipped between 20261207T110000.000Z and 20261207T120000.000Z"),
                r.gaps());
        assertEquals(List.of("roma-dr logs: " + r.gaps().get(0)), err);
    }
}
