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
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
            List<List<Path>> perService = new ArrayList<>();
            List<String> gaps = new ArrayList<>();
            int objects = 0;
            for (String service : services) {
                List<LogManifest> selected = selected(logs.manifests(plan, service), since, until);
                gaps.addAll(gaps(service, selected));
                List<Path> files = new ArrayList<>();
                for (LogManifest m : selected) {
                    files.add(verifiedCopy(m, scratch.resolve(objects++ + ".log.gz")));
                }
                perService.add(files);
            }
            gaps.forEach(g -> warnings.accept("roma-dr logs: " + g));
            String from = LogLineMerge.stamp(ContainerLogLines.TIMESTAMP.format(since));
            String to = LogLineMerge.stamp(ContainerLogLines.TIMESTAMP.format(until));
            List<BufferedReader> sources = new ArrayList<>();
            long given = 0;
            try {
                for (List<Path> files : perService) {
                    sources.add(new BufferedReader(concatenated(files)));
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
            return new Result(given, objects, gaps);
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

    /** Consecutive objects meet exactly (the next from is this to); anything else is a hole in what was shipped. */
    static List<String> gaps(String service, List<LogManifest> ordered) {
        List<String> gaps = new ArrayList<>();
        for (int i = 1; i < ordered.size(); i++) {
            LogManifest a = ordered.get(i - 1);
            LogManifest b = ordered.get(i);
            if (a.to() != b.from()) {
                gaps.add(service + ": no logs shipped between " + LogKeys.stamp(Math.min(a.to(), b.from())) + " and "
                        + LogKeys.stamp(Math.max(a.to(), b.from())) + (a.to() > b.from() ? " (ranges overlap)" : ""));
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

    private static Reader concatenated(List<Path> files) throws IOException {
        List<InputStream> streams = new ArrayList<>();
        for (Path f : files) {
            streams.add(new GZIPInputStream(Files.newInputStream(f), 64 * 1024));
        }
        return new InputStreamReader(new SequenceInputStream(Collections.enumeration(streams)),
                StandardCharsets.UTF_8);
    }
}
