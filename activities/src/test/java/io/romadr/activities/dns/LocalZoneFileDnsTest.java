package io.romadr.activities.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LocalZoneFileDns} on a real file: the Route53 cases, plus atomic replacement under concurrency. */
class LocalZoneFileDnsTest {
    private static final String ZONE = "example.test";
    private static final String HOST = "app.example.test.";

    @TempDir
    Path dir;
    private Path file;
    private LocalZoneFileDns dns;
    private final AtomicInteger heartbeats = new AtomicInteger();

    @BeforeEach
    void setUp() {
        file = dir.resolve("roma-dr.zone");
        dns = new LocalZoneFileDns(file);
    }

    @Test
    void upsertWritesTheRecordToTheFile() throws IOException {
        DnsChange change = dns.upsert(ZONE, a("192.0.2.10"), "run-1", heartbeats::incrementAndGet);

        assertTrue(change.changed());
        assertNull(change.previous());
        assertNotNull(change.changeId());
        assertTrue(Files.readAllLines(file).contains(HOST + " A 60 192.0.2.10"), Files.readString(file));
        assertTrue(Files.readString(file).contains(change.changeId()));
        assertTrue(heartbeats.get() > 0);
        assertEquals(a("192.0.2.10"), new LocalZoneFileDns(file).current(ZONE, "APP.example.test", "a"));
    }

    @Test
    void upsertOfTheSameValueLeavesTheFileAlone() throws IOException {
        dns.upsert(ZONE, new DnsRecord(HOST, "A", 60, List.of("192.0.2.10", "192.0.2.11")), "run-1", () -> {
        });
        String before = Files.readString(file);

        // Same values in another order: DNS has no order, so nothing to do.
        DnsChange again = dns.upsert(ZONE, new DnsRecord(HOST, "A", 60, List.of("192.0.2.11", "192.0.2.10")),
                "run-1-retry", () -> {
                });

        assertFalse(again.changed());
        assertNull(again.changeId());
        assertEquals(before, Files.readString(file));
    }

    @Test
    void upsertOfANewValueReturnsThePreviousAndRestorePutsItBack() {
        dns.upsert(ZONE, new DnsRecord("other.example.test", "A", 300, List.of("192.0.2.99")), "x", () -> {
        });
        dns.upsert(ZONE, a("192.0.2.10"), "before", () -> {
        });

        DnsChange change = dns.upsert(ZONE, a("198.51.100.7"), "failover", () -> {
        });

        assertTrue(change.changed());
        assertEquals(a("192.0.2.10"), change.previous());
        assertEquals(a("198.51.100.7"), dns.current(ZONE, HOST, "A"));

        DnsChange restored = dns.restore(ZONE, change.previous(), HOST, "A", "compensate", () -> {
        });

        assertTrue(restored.changed());
        assertEquals(a("192.0.2.10"), dns.current(ZONE, HOST, "A"));
        assertEquals(List.of("192.0.2.99"), dns.current(ZONE, "other.example.test", "A").values(),
                "other records are kept");
        assertFalse(dns.restore(ZONE, change.previous(), HOST, "A", "again", () -> {
        }).changed());
    }

    @Test
    void restoreWithoutAPreviousRecordDeletesIt() throws IOException {
        DnsChange change = dns.upsert(ZONE, a("192.0.2.10"), "failover", () -> {
        });

        DnsChange restored = dns.restore(ZONE, change.previous(), HOST, "A", "compensate", () -> {
        });

        assertTrue(restored.changed());
        assertNull(dns.current(ZONE, HOST, "A"));
        assertFalse(Files.readString(file).contains(HOST), Files.readString(file));
        assertFalse(dns.restore(ZONE, null, HOST, "A", "again", () -> {
        }).changed());
    }

    @Test
    void aTempFileLeftByACrashIsNeverRead() throws IOException {
        dns.upsert(ZONE, a("192.0.2.10"), "before", () -> {
        });
        // What a writer that died between creating and renaming its temp file leaves behind: half a file.
        Path leftover = dir.resolve(".roma-dr.zone.crashed.tmp");
        Files.writeString(leftover, "# roma-dr zone file\n" + HOST + " A 60 203.0.113.66\nbroken.example.test A");

        assertEquals(a("192.0.2.10"), dns.current(ZONE, HOST, "A"));
        DnsChange change = dns.upsert(ZONE, a("198.51.100.7"), "after", () -> {
        });
        assertEquals(a("192.0.2.10"), change.previous());
        assertEquals(a("198.51.100.7"), new LocalZoneFileDns(file).current(ZONE, HOST, "A"));
        assertFalse(Files.readString(file).contains("broken"));
    }

    @Test
    void concurrentWritersNeitherLoseUpdatesNorExposeAHalfWrittenFile() throws Exception {
        int writers = 4;
        int perWriter = 20;
        AtomicBoolean done = new AtomicBoolean();
        List<String> badReads = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            // The reader looks at the raw bytes: every version it sees must be complete and only ever grow.
            Future<Integer> reader = pool.submit(() -> {
                int reads = 0;
                int lastCount = 0;
                while (!done.get()) {
                    if (!Files.exists(file)) {
                        continue;
                    }
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    int count = new LocalZoneFileDns(file).read().size();
                    if (!text.startsWith("# roma-dr zone file") || !text.endsWith("\n") || count < lastCount) {
                        badReads.add(count + " records after " + lastCount + ":\n" + text);
                    }
                    lastCount = count;
                    reads++;
                }
                return reads;
            });
            List<Future<?>> writes = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                // Each writer its own instance, as separate activities would have.
                LocalZoneFileDns own = new LocalZoneFileDns(file);
                writes.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        own.upsert(ZONE, new DnsRecord("h" + writer + "-" + i + ".example.test", "A", 60,
                                List.of("192.0.2." + (i + 1))), "w" + writer, () -> {
                                });
                    }
                    return null;
                }));
            }
            for (Future<?> write : writes) {
                write.get(60, TimeUnit.SECONDS);
            }
            done.set(true);
            int reads = reader.get(10, TimeUnit.SECONDS);
            assertTrue(reads > 0, "the reader ran");
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
        if (!badReads.isEmpty()) {
            fail("a reader saw a partial or older file: " + badReads.get(0));
        }
        assertEquals(writers * perWriter, dns.read().size(), "every upsert is in the file");
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(), listing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp"))
                    .toList(), "no temp files left behind");
        }
    }

    @Test
    void errorsSayWhichFileLineAndRecord() throws IOException {
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> dns.upsert(ZONE, new DnsRecord("app.example.org", "A", 60, List.of("192.0.2.1")), "x",
                        () -> {
                        }));
        assertTrue(outside.getMessage().contains("app.example.org.") && outside.getMessage().contains("example.test."),
                outside.getMessage());

        Files.writeString(file, HOST + " A 60 192.0.2.1\n" + HOST + " A sixty 192.0.2.2\n");
        IllegalStateException bad = assertThrows(IllegalStateException.class, () -> dns.current(ZONE, HOST, "A"));
        assertTrue(bad.getMessage().contains(file.toString()) && bad.getMessage().contains("line 2")
                && bad.getMessage().contains("sixty"), bad.getMessage());
    }

    private static DnsRecord a(String address) {
        return new DnsRecord(HOST, "A", 60, List.of(address));
    }
}
