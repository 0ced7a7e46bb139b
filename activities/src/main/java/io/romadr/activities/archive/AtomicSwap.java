package io.romadr.activities.archive;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Puts a fully extracted staging directory in place of a target directory with renames only, so a crash never leaves
 * a half-restored target: (1) the old target is renamed aside to {@code .<name>.roma-old}, (2) staging is renamed to
 * the target, (3) the old copy is deleted. A crash between (1) and (2) leaves no target but the complete old copy;
 * {@link #recover(Path)} (run before any restore, idempotent) renames it back; a crash after (2) leaves a complete
 * new target and a leftover old copy, which {@link #recover} deletes. Staging must be on the target's filesystem
 * (a sibling, as {@link SafeExtractor#stagingParentFor} gives), or the renames are not atomic and this refuses.
 */
public final class AtomicSwap {

    private AtomicSwap() {
    }

    public static Path asideName(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        return abs.resolveSibling("." + abs.getFileName() + ".roma-old");
    }

    /** Replaces {@code target} by {@code staging}; {@code target} may not exist yet. */
    public static void swap(Path staging, Path target) throws IOException {
        Path t = target.toAbsolutePath().normalize();
        Path s = staging.toAbsolutePath().normalize();
        if (!Files.isDirectory(s, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("staging is not a directory: " + s);
        }
        recover(t);
        Path aside = asideName(t);
        boolean hadTarget = Files.exists(t, LinkOption.NOFOLLOW_LINKS);
        if (hadTarget) {
            Files.move(t, aside, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(s, t, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (hadTarget) {
                try {
                    Files.move(aside, t, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException back) {
                    e.addSuppressed(back);
                }
            }
            throw e;
        }
        if (hadTarget) {
            deleteTree(aside);
        }
    }

    /** Finishes or undoes a swap interrupted by a crash; does nothing when there is none. */
    public static void recover(Path target) throws IOException {
        Path t = target.toAbsolutePath().normalize();
        Path aside = asideName(t);
        if (!Files.exists(aside, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
            deleteTree(aside); // crash after the new target was in place
        } else {
            Files.move(aside, t, StandardCopyOption.ATOMIC_MOVE); // crash between the renames: put the old one back
        }
    }

    /** Deletes a tree without following symbolic links; makes directories writable first if needed. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                try {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                } catch (IOException | UnsupportedOperationException ignored) {
                    // best effort
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteIfExists(Path p) throws IOException {
        try {
            Files.deleteIfExists(p);
        } catch (NoSuchFileException ignored) {
            // gone already
        }
    }
}
