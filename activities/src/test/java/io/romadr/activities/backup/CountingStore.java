package io.romadr.activities.backup;

import io.romadr.activities.objectstore.ObjectInfo;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.objectstore.ObjectUpload;
import io.romadr.activities.objectstore.UploadCheckpoint;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A store that counts uploads and puts, to prove an idempotent call wrote nothing. */
final class CountingStore implements ObjectStore {
    private final ObjectStore delegate;
    private final AtomicInteger writes;

    CountingStore(ObjectStore delegate, AtomicInteger writes) {
        this.delegate = delegate;
        this.writes = writes;
    }

    @Override
    public String location() {
        return delegate.location();
    }

    @Override
    public ObjectUpload startUpload(String key, UploadCheckpoint resume, Consumer<UploadCheckpoint> onCheckpoint)
            throws IOException {
        writes.incrementAndGet();
        return delegate.startUpload(key, resume, onCheckpoint);
    }

    @Override
    public void put(String key, byte[] content) throws IOException {
        writes.incrementAndGet();
        delegate.put(key, content);
    }

    @Override
    public InputStream open(String key) throws IOException {
        return delegate.open(key);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        return delegate.stat(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        return delegate.list(prefix);
    }

    @Override
    public void delete(String key) throws IOException {
        delegate.delete(key);
    }
}
