package io.romadr.activities.backup;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import io.romadr.activities.archive.ParallelGzipOutputStream;
import io.romadr.activities.docker.ComposeContainerFinder;
import io.romadr.activities.docker.ContainerLogLines;
import io.romadr.activities.heartbeat.Heartbeat;
import io.romadr.activities.objectstore.ObjectInfo;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.objectstore.ObjectUpload;
import io.romadr.activities.digest.Sha256;
import io.romadr.activities.stream.CountingOutputStream;
import io.romadr.backup.LogKeys;
import io.romadr.backup.LogManifest;
import io.romadr.backup.ShipLogsRequest;
import io.romadr.backup.ShippedLogs;
import io.romadr.plan.BackupStore;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.zip.Deflater;

/**
 * Ships one time range of a compose service's container logs into one object of the backup store. Each container's
 * lines in the range go to a scratch file first (one read of the engine per container, in its order), then the
 * files are merged by time into the gzip object, whose manifest is written last. Lines are stored as
 * {@code <timestamp> <container> <stream> <text>}.
 *
 * <p>Decisions: every container of the service is read, stopped ones too (a container recreated since the last run
 * is a new id whose log starts fresh; the old one's lines are shipped while it still exists, lost once it is
 * removed). A container whose log driver the engine cannot read back is refused ({@link
 * ContainerLogLines#READABLE_DRIVERS}). Lines stamped at the same nanosecond fall on the same side of every cut-off,
 * so none is shipped twice or skipped.
 */
final class LogShipper {
    /** A failure a retry cannot cure: the container's logs are not kept by the engine. */
    static final String UNREADABLE_DRIVER = "UnreadableLogDriver";
    private final DockerClient docker;
    private final Function<BackupStore, ObjectStore> stores;

    LogShipper(DockerClient docker, Function<BackupStore, ObjectStore> stores) {
        this.docker = docker;
        this.stores = stores;
    }

    /** {@code attempt}: the activity attempt, reported back (the step shows a retry). */
    ShippedLogs ship(ShipLogsRequest req, int attempt, Heartbeat hb) throws IOException, InterruptedException {
        // Closed like every store the backups open (an S3 store holds a client).
        try (ObjectStore store = stores.apply(req.store())) {
            return ship(req, attempt, hb, new ShippedLogStore(store));
        }
    }

    private ShippedLogs ship(ShipLogsRequest req, int attempt, Heartbeat hb, ShippedLogStore logs)
            throws IOException, InterruptedException {
        String key = LogKeys.objectKey(req.plan(), req.service(), req.from(), req.to());
        Optional<LogManifest> found = logs.manifest(key);
        if (found.isPresent()) {
            return new ShippedLogs(found.get(), true, attempt);
        }
        List<Container> containers = new ArrayList<>(new ComposeContainerFinder(docker).all(req.project(),
                req.service()));
        containers.sort(Comparator.comparingLong(Container::getCreated).thenComparing(Container::getId));
        Path scratch = Files.createTempDirectory("roma-dr-logs-");
        try {
            List<Path> files = new ArrayList<>();
            List<String> names = new ArrayList<>();
            long[] read = {0};
            for (Container c : containers) {
                String name = c.getNames() == null || c.getNames().length == 0
                        ? c.getId().substring(0, 12)
                        : ComposeContainerFinder.bare(c.getNames()[0]);
                checkDriver(c.getId(), name);
                Path file = scratch.resolve(files.size() + ".log");
                try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    ContainerLogLines.read(docker, c.getId(), Instant.ofEpochMilli(req.from()),
                            Instant.ofEpochMilli(req.to()), line -> {
                                out.write(ContainerLogLines.TIMESTAMP.format(line.at()) + " " + name + " "
                                        + line.stream() + " " + line.text() + "\n");
                                read[0]++;
                            }, () -> hb.beat(read[0]));
                }
                files.add(file);
                names.add(name);
            }
            LogManifest manifest = write(logs.objects(), req, key, files, names, hb);
            logs.commit(manifest); // last: the range is shipped from here on
            return new ShippedLogs(manifest, false, attempt);
        } finally {
            deleteTree(scratch);
        }
    }

    private void checkDriver(String id, String name) {
        InspectContainerResponse inspect = new ComposeContainerFinder(docker).inspect(id);
        String driver = inspect == null || inspect.getHostConfig() == null
                || inspect.getHostConfig().getLogConfig() == null
                || inspect.getHostConfig().getLogConfig().getType() == null
                        ? "json-file"
                        : inspect.getHostConfig().getLogConfig().getType().getType();
        if (!ContainerLogLines.READABLE_DRIVERS.contains(driver)) {
            throw new BackupRefusedException(UNREADABLE_DRIVER, "container " + name + " logs to \"" + driver
                    + "\", which the engine does not keep in full; ship its logs from " + driver + " itself, or "
                    + "use one of " + ContainerLogLines.READABLE_DRIVERS);
        }
    }

    /** Merges the containers' files by time into the gzip object; its digest, size and lines make the manifest. */
    private LogManifest write(ObjectStore store, ShipLogsRequest req, String key, List<Path> files,
            List<String> names, Heartbeat hb) throws IOException {
        MessageDigest sha = Sha256.newDigest();
        long lines = 0;
        String first = "";
        String last = "";
        long written;
        List<BufferedReader> sources = new ArrayList<>();
        try (ObjectUpload upload = store.startUpload(key, null, cp -> hb.beat(cp))) {
            CountingOutputStream counting = new CountingOutputStream(upload);
            try {
                for (Path f : files) {
                    sources.add(Files.newBufferedReader(f, StandardCharsets.UTF_8));
                }
                // One thread, fixed blocks: the same lines always make the same bytes (a rewritten range is equal).
                try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(new ParallelGzipOutputStream(
                        new DigestOutputStream(counting, sha), 1, ParallelGzipOutputStream.DEFAULT_BLOCK_SIZE,
                        Deflater.DEFAULT_COMPRESSION), StandardCharsets.UTF_8))) {
                    LogLineMerge merge = new LogLineMerge(sources);
                    while (merge.hasNext()) {
                        String line = merge.next();
                        out.write(line);
                        out.write('\n');
                        if (lines == 0) {
                            first = LogLineMerge.stamp(line);
                        }
                        last = LogLineMerge.stamp(line);
                        if (++lines % 10_000 == 0) {
                            hb.beat(lines);
                        }
                    }
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } finally {
                for (BufferedReader r : sources) {
                    r.close();
                }
            }
            written = counting.count();
            ObjectInfo info = upload.commit();
            if (info.size() != written) {
                throw new IOException("store " + store.location() + " holds " + info.size() + " bytes at " + key
                        + ", " + written + " were written");
            }
        }
        return new LogManifest(LogManifest.FORMAT, req.plan(), req.service(), req.from(), req.to(), key,
                Sha256.hex(sha), written, lines, first, last, names, System.currentTimeMillis(), req.workflowId());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
