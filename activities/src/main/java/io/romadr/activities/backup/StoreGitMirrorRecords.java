package io.romadr.activities.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.backup.GitMirrorRecord;
import io.romadr.plan.BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;

/** {@code git/<plan>/last-mirror.json} in the plan's backup store: written by the git mirror, read by Scenario 4. */
final class StoreGitMirrorRecords {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Function<BackupStore, ObjectStore> stores;

    StoreGitMirrorRecords(Function<BackupStore, ObjectStore> stores) {
        this.stores = stores;
    }

    void write(BackupStore spec, GitMirrorRecord record) throws IOException {
        stores.apply(spec).put(GitMirrorRecord.key(record.plan()), JSON.writeValueAsBytes(record));
    }

    GitMirrorRecord read(BackupStore spec, String plan) throws IOException {
        ObjectStore store = stores.apply(spec);
        String key = GitMirrorRecord.key(plan);
        if (store.stat(key).isEmpty()) {
            return null;
        }
        try (InputStream in = store.open(key)) {
            return JSON.readValue(in, GitMirrorRecord.class);
        }
    }
}
