package io.romadr.activities.backup;

import io.romadr.activities.digest.Sha256;
import io.romadr.activities.docker.ContainerLogLines;
import io.romadr.backup.LogKeys;
import io.romadr.backup.LogManifest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads shipped production logs back for a time range ({@code roma-dr logs}): every object of the range is
 * downloaded and checked against its manifest's SHA-256 and size BEFORE any line is given out, so a corrupted
 * object is an error naming it, never printed; then the lines of {@code since <= t < until} come out in time order,
 * the services merged. A hole between two consecutive objects of a service (a range never shipped) is told to
 * {@code warnings}, not hidden.
 */
public final class ShippedLogReader {
    private final ShippedLogStore logs;

    public ShippedLogReader(ShippedLogStore logs) {
        this.logs = logs;
    }

    /** What a read gave out: lines, objects read, and the holes found. */
    public record Result(long lines, int objects, List<String> gaps) {
    }

    public Result read(String plan, List<String> services, Instant since, Instant until, Consumer<String> lines,
            Consumer<String> warnings) throws IOException {
        Path scratch = Files.createTempDirectory("roma-dr-logs-read-");
        try {
            List<Path> files = new ArrayList<>();
            List<String> after = new ArrayList<>();
            List<String> gaps = new ArrayList<>();
            for (String service : services) {
                List<LogManifest> selected = selected(logs.manifests(plan, service), since, until);
                gaps.addAll(gaps(service, selected));
                long covered = Long.MIN_VALUE;
                for (LogManifest m : selected) {
                    files.add(verifiedCopy(m, scratch.resolve(files.size() + ".log.gz")));
                    // Two runs at once (a schedule and a manual start) may ship overlapping ranges with the same
                    // lines: each object gives only what the ones before it did not cover.
                    after.add(covered == Long.MIN_VALUE
                            ? ""
                            : LogLineMerge.stamp(ContainerLogLines.TIMESTAMP.format(Instant.ofEpochMilli(covered))));
                    covered = Math.max(covered, m.to());
                }
            }
            gaps.forEach(g -> warnings.accept("roma-dr logs: " + g));
            String from = LogLineMerge.stamp(ContainerLogLines.TIMESTAMP.format(since));
            String to = LogLineMerge.stamp(ContainerLogLines.TIMESTAMP.format(until));
            List<BufferedReader> sources = new ArrayList<>();
            long given = 0;
            try {
                for (int i = 0; i < files.size(); i++) {
                    sources.add(new After(gunzipped(files.get(i)), after.get(i)));
                }
                LogLineMerge merge = new LogLineMerge(sources);
                while (merge.hasNext()) {
                    String line = merge.next();
                    String stamp = LogLineMerge.stamp(line);
                    if (stamp.compareTo(from) >= 0 && stamp.compareTo(to) < 0) {
                        lines.accept(line);
                        given++;
                    }
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } finally {
                for (BufferedReader r : sources) {
                    r.close();
                }
            }
            return new Result(given, files.size(), gaps);
        } finally {
            try (var paths = Files.walk(scratch)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The objects holding lines of {@code since <= t < until}: ranges {@code from < t <= to} that overlap it. */
    static List<LogManifest> selected(List<LogManifest> all, Instant since, Instant until) {
        return all.stream().filter(m -> m.from() < until.toEpochMilli() && m.to() >= since.toEpochMilli())
                .toList();
    }

    /**
     * Consecutive objects meet (the next from is this to) or overlap (two runs at once); an object that starts after
     * everything before it ended leaves a hole in what was shipped.
     */
    static List<String> gaps(String service, List<LogManifest> ordered) {
        List<String> gaps = new ArrayList<>();
        for (int i = 1; i < ordered.size(); i++) {
            long covered = ordered.subList(0, i).stream().mapToLong(LogManifest::to).max().orElseThrow();
            long next = ordered.get(i).from();
            if (covered < next) {
                gaps.add(service + ": no logs shipped between " + LogKeys.stamp(covered) + " and "
                        + LogKeys.stamp(next));
            }
        }
        return gaps;
    }

    private Path verifiedCopy(LogManifest m, Path file) throws IOException {
        MessageDigest sha = Sha256.newDigest();
        try (InputStream in = new DigestInputStream(logs.objects().open(m.objectKey()), sha)) {
            Files.copy(in, file);
        }
        String actual = Sha256.hex(sha);
        long size = Files.size(file);
        if (!actual.equals(m.sha256()) || size != m.sizeBytes()) {
            throw new IOException("log object " + m.objectKey() + " in " + logs.objects().location()
                    + " is corrupt: SHA-256 " + Sha256.abbrev(actual) + ", " + size + " bytes; its manifest says "
                    + Sha256.abbrev(m.sha256()) + ", " + m.sizeBytes() + " bytes. Not printed.");
        }
        return file;
    }

    private static Reader gunzipped(Path file) throws IOException {
        return new InputStreamReader(new GZIPInputStream(Files.newInputStream(file), 64 * 1024),
                StandardCharsets.UTF_8);
    }

    /** The lines of one object stamped after {@code after} (empty: all), in their order. */
    private static final class After extends BufferedReader {
        private final String after;

        After(Reader in, String after) {
            super(in);
            this.after = after;
        }

        @Override
        public String readLine() throws IOException {
            String line = super.readLine();
            while (line != null && !after.isEmpty() && LogLineMerge.stamp(line).compareTo(after) <= 0) {
                line = super.readLine();
            }
            return line;
        }
    }
}
