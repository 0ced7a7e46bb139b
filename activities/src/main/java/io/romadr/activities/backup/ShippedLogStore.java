package io.romadr.activities.backup;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.romadr.activities.objectstore.ObjectInfo;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.LogCutoff;
import io.romadr.backup.LogKeys;
import io.romadr.backup.LogManifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The shipped production logs of a plan in its backup store ({@link LogKeys}): the manifests, the newest cut-off
 * of a service, retention. An object counts only once its manifest is there (written last), so a crash between the
 * two leaves an object the same range's retry overwrites.
 */
public final class ShippedLogStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final ObjectStore store;

    public ShippedLogStore(ObjectStore store) {
        this.store = store;
    }

    public ObjectStore objects() {
        return store;
    }

    /** The service's shipped objects (those with a manifest), oldest range first. */
    public List<LogManifest> manifests(String plan, String service) throws IOException {
        List<LogManifest> all = new ArrayList<>();
        for (ObjectInfo info : store.list(LogKeys.prefix(plan, service))) {
            if (BackupKeys.isManifest(info.key()) && LogKeys.range(info.key()).isPresent()) {
                all.add(read(info.key()));
            }
        }
        all.sort(Comparator.comparingLong(LogManifest::from).thenComparingLong(LogManifest::to));
        return all;
    }

    /** Where the service's shipped logs end: the newest manifest's range end (from its key: no object is read). */
    public LogCutoff lastCutoff(String plan, String service) throws IOException {
        long cutoff = 0;
        String newest = "";
        for (ObjectInfo info : store.list(LogKeys.prefix(plan, service))) {
            Optional<LogKeys.Range> range = BackupKeys.isManifest(info.key())
                    ? LogKeys.range(info.key())
                    : Optional.empty();
            if (range.isPresent() && range.get().to() > cutoff) {
                cutoff = range.get().to();
                newest = BackupKeys.objectKeyOf(info.key());
            }
        }
        return new LogCutoff(service, cutoff, newest);
    }

    /** The manifest of {@code objectKey}, if it was shipped. */
    public Optional<LogManifest> manifest(String objectKey) throws IOException {
        String key = BackupKeys.manifestKey(objectKey);
        return store.stat(key).isPresent() ? Optional.of(read(key)) : Optional.empty();
    }

    /** Writes the manifest: from here on the object is shipped. */
    void commit(LogManifest manifest) throws IOException {
        store.put(manifest.manifestKey(), JSON.writeValueAsBytes(manifest));
    }

    /**
     * Deletes the service's objects whose range ended before {@code endedBefore} (epoch ms), each manifest before its
     * object, and objects left without a manifest by a crash; returns the shipped objects deleted.
     */
    public int prune(String plan, String service, long endedBefore) throws IOException {
        int deleted = 0;
        for (ObjectInfo info : store.list(LogKeys.prefix(plan, service))) {
            Optional<LogKeys.Range> range = LogKeys.range(info.key());
            if (range.isEmpty() || range.get().to() >= endedBefore || BackupKeys.isManifest(info.key())) {
                continue;
            }
            String manifest = BackupKeys.manifestKey(info.key());
            if (store.stat(manifest).isPresent()) {
                store.delete(manifest);
                deleted++;
            }
            store.delete(info.key());
        }
        return deleted;
    }

    private LogManifest read(String manifestKey) throws IOException {
        LogManifest m = JSON.readValue(store.read(manifestKey), LogManifest.class);
        if (m.format() != LogManifest.FORMAT || m.objectKey() == null || m.sha256() == null) {
            throw new IOException(manifestKey + " is not a format " + LogManifest.FORMAT + " log manifest");
        }
        return m;
    }
}
