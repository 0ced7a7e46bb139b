package io.romadr.activities.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Objects as files under a root directory (the embedded default). Every write goes to {@code .tmp/} first and is
 * renamed into place after an fsync, so a crash leaves either the old object, the new one, or a stray temp file
 * (never a half-written object). Partial uploads are not resumable: a retried upload starts over.
 */
public final class LocalObjectStore implements ObjectStore {
    static final String TMP = ".tmp";
    private final Path root;

    public LocalObjectStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root.resolve(TMP));
    }

    @Override
    public String location() {
        return root.toUri().toString();
    }

    private Path pathOf(String key) {
        Path p = root.resolve(ObjectStore.checkKey(key)).normalize();
        if (!p.startsWith(root) || p.getName(root.getNameCount()).toString().equals(TMP)) {
            throw new IllegalArgumentException("invalid object key \"" + key + "\"");
        }
        return p;
    }

    @Override
    public ObjectUpload startUpload(String key, UploadCheckpoint resume, Consumer<UploadCheckpoint> onCheckpoint)
            throws IOException {
        Path target = pathOf(key);
        Path tmp = root.resolve(TMP).resolve(UUID.randomUUID() + ".part");
        OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new ObjectUpload() {
            private long size;
            private boolean done;

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                size++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                size += len;
            }

            @Override
            public ObjectInfo commit() throws IOException {
                if (done) {
                    throw new IOException("upload of " + key + " already finished");
                }
                done = true;
                out.close();
                try {
                    moveIntoPlace(tmp, target);
                } catch (IOException e) {
                    // e.g. the key is a directory of other keys: do not leave the temp file behind
                    Files.deleteIfExists(tmp);
                    throw e;
                }
                return stat(key).orElseThrow(() -> new IOException("committed object vanished: " + key));
            }

            @Override
            public void abort() throws IOException {
                if (!done) {
                    done = true;
                    out.close();
                    Files.deleteIfExists(tmp);
                }
            }

            @Override
            public void abandon() throws IOException {
                abort();
            }

            @Override
            public void close() throws IOException {
                abort();
            }
        };
    }

    @Override
    public void put(String key, byte[] content) throws IOException {
        Path target = pathOf(key);
        Path tmp = root.resolve(TMP).resolve(UUID.randomUUID() + ".part");
        try {
            Files.write(tmp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.createDirectories(target.getParent());
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public InputStream open(String key) throws IOException {
        Path p = pathOf(key);
        try {
            return Files.newInputStream(p);
        } catch (NoSuchFileException e) {
            throw new NoSuchObjectException(location(), key);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        Path p = pathOf(key);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return a.isRegularFile()
                    ? Optional.of(new ObjectInfo(key, a.size(), a.lastModifiedTime().toInstant()))
                    : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        List<ObjectInfo> found = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(root.resolve(TMP))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                String rel = keyOf(dir);
                // Only descend where keys under this directory can start with the prefix.
                return rel.isEmpty() || prefix.startsWith(rel + "/") || (rel + "/").startsWith(prefix)
                        ? FileVisitResult.CONTINUE
                        : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String key = keyOf(file);
                if (attrs.isRegularFile() && key.startsWith(prefix)) {
                    found.add(new ObjectInfo(key, attrs.size(), attrs.lastModifiedTime().toInstant()));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort(Comparator.comparing(ObjectInfo::key));
        return found;
    }

    private String keyOf(Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    @Override
    public void delete(String key) throws IOException {
        Path p = pathOf(key);
        Files.deleteIfExists(p);
        // Tidy empty directories up to the root so listings stay fast; a concurrent writer recreates them.
        for (Path dir = p.getParent(); dir != null && !dir.equals(root); dir = dir.getParent()) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    break;
                }
            } catch (NoSuchFileException e) {
                // The key never existed (or a concurrent delete tidied up): check the parent.
                continue;
            }
            try {
                Files.delete(dir);
            } catch (IOException e) {
                break;
            }
        }
    }
}
