package io.romadr.activities.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * {@link DnsProvider} on a local zone file, the embedded default: one {@code name type ttl value} line per value
 * ({@code #} comments and blank lines ignored; the value is the rest of the line). The file is only ever replaced
 * whole (temp file, fsync, atomic rename), so a reader sees the old or the new file, never half of one; a temp file
 * left by a crash is never read. A lock file serialises writers, also across processes. The zone argument only
 * checks that names are inside it: one file holds whatever zones the embedded setup uses.
 */
public final class LocalZoneFileDns implements DnsProvider {
    private final Path file;
    private final Path lockFile;

    public LocalZoneFileDns(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
    }

    public Path file() {
        return file;
    }

    /** One line per change: time, change id, the note (e.g. "roma-dr <workflow id>"). */
    public Path changeLog() {
        return file.resolveSibling(file.getFileName() + ".changes");
    }

    @Override
    public DnsRecord current(String zone, String name, String type) {
        String fqdn = inZone(zone, name);
        String rrType = DnsRecord.DnsNames.type(type);
        return read().get(key(fqdn, rrType));
    }

    @Override
    public DnsChange upsert(String zone, DnsRecord record, String idempotencyNote, Runnable heartbeat) {
        Objects.requireNonNull(record, "record");
        inZone(zone, record.name());
        return underLock(() -> {
            Map<String, DnsRecord> records = read();
            DnsRecord previous = records.get(key(record.name(), record.type()));
            if (record.sameAs(previous)) {
                return DnsChange.unchanged(previous);
            }
            records.put(key(record.name(), record.type()), record);
            String changeId = write(records, idempotencyNote);
            heartbeat.run();
            return new DnsChange(previous, changeId, true);
        });
    }

    @Override
    public DnsChange delete(String zone, String name, String type, String idempotencyNote, Runnable heartbeat) {
        String fqdn = inZone(zone, name);
        String rrType = DnsRecord.DnsNames.type(type);
        return underLock(() -> {
            Map<String, DnsRecord> records = read();
            DnsRecord existing = records.remove(key(fqdn, rrType));
            if (existing == null) {
                return DnsChange.unchanged(null);
            }
            String changeId = write(records, idempotencyNote);
            heartbeat.run();
            return new DnsChange(existing, changeId, true);
        });
    }

    /** All record sets in the file, keyed by name and type, in file order. An absent file is an empty zone. */
    Map<String, DnsRecord> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new LinkedHashMap<>();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read zone file " + file + ": " + e.getMessage(), e);
        }
        Map<String, DnsRecord> records = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 4);
            if (parts.length < 4) {
                throw new IllegalStateException("zone file " + file + " line " + (i + 1)
                        + ": expected 'name type ttl value', got '" + line + "'");
            }
            long ttl;
            try {
                ttl = Long.parseLong(parts[2]);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("zone file " + file + " line " + (i + 1) + ": TTL '" + parts[2]
                        + "' is not a number");
            }
            DnsRecord line1 = new DnsRecord(parts[0], parts[1], ttl, List.of(parts[3]));
            String key = key(line1.name(), line1.type());
            DnsRecord known = records.get(key);
            if (known == null) {
                records.put(key, line1);
            } else if (known.ttl() != ttl) {
                throw new IllegalStateException("zone file " + file + " line " + (i + 1) + ": TTL " + ttl + " for "
                        + line1.name() + " " + line1.type() + " differs from the earlier " + known.ttl());
            } else {
                List<String> values = new ArrayList<>(known.values());
                values.add(parts[3]);
                records.put(key, new DnsRecord(known.name(), known.type(), ttl, values));
            }
        }
        return records;
    }

    /** Replaces the file whole; returns a change id, which is also written into the file's header. */
    private String write(Map<String, DnsRecord> records, String note) {
        String changeId = "local-" + UUID.randomUUID();
        StringBuilder text = new StringBuilder("# roma-dr zone file, change ").append(changeId);
        if (note != null && !note.isBlank()) {
            text.append(" (").append(note.replaceAll("[\\r\\n]+", " ")).append(')');
        }
        text.append('\n');
        for (DnsRecord r : records.values()) {
            for (String value : r.values()) {
                if (value.contains("\n") || value.contains("\r")) {
                    throw new IllegalArgumentException("value of " + r.name() + " " + r.type()
                            + " contains a line break");
                }
                text.append(r.name()).append(' ').append(r.type()).append(' ').append(r.ttl()).append(' ')
                        .append(value).append('\n');
            }
        }
        Path temp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + file + " cannot rename atomically", e);
            }
            syncDirectory();
            // The change log says which run changed the zone and when, as Route53's change history does.
            Files.writeString(changeLog(), java.time.Instant.now() + " " + changeId + " "
                    + (note == null ? "" : note.replaceAll("[\\r\\n]+", " ")) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the temp file is never read; leaving it behind is harmless
            }
            throw new UncheckedIOException("cannot write zone file " + file + ": " + e.getMessage(), e);
        }
        return changeId;
    }

    /** Makes the rename itself durable; some platforms cannot open a directory, then the rename is still atomic. */
    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // best effort
        }
    }

    private <T> T underLock(java.util.function.Supplier<T> work) {
        // FileLock is per process; the monitor keeps two threads of this JVM from both asking for it.
        synchronized (LocalZoneFileDns.class) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                return work.get();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock zone file " + lockFile + ": " + e.getMessage(), e);
            }
        }
    }

    private static String inZone(String zone, String name) {
        String fqdn = DnsRecord.DnsNames.fqdn(name);
        if (!DnsRecord.DnsNames.inZone(fqdn, zone)) {
            throw new IllegalArgumentException(fqdn + " is not in zone " + DnsRecord.DnsNames.fqdn(zone));
        }
        return fqdn;
    }

    private static String key(String fqdn, String type) {
        return fqdn + " " + type;
    }
}
