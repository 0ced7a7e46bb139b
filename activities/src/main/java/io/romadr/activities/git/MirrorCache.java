package io.romadr.activities.git;

import io.temporal.failure.ApplicationFailure;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The worker's bare mirror of each plan's primary, {@code cacheRoot/<plan>.git}: created when missing, deleted and
 * created again when it cannot be opened (it is only a cache; the next fetch fills it). One lock per plan keeps two
 * activities of the same plan (pushes to two backups at once) from updating the cache's refs concurrently.
 */
final class MirrorCache {
    private final Path cacheRoot;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    MirrorCache(Path cacheRoot) {
        this.cacheRoot = cacheRoot;
    }

    Path dir(String plan) {
        if (plan == null || !plan.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw ApplicationFailure.newNonRetryableFailure("plan name \"" + plan
                    + "\" cannot name a git cache directory", "InvalidGitRequest");
        }
        return cacheRoot.resolve(plan + ".git");
    }

    /** The plan's lock for changes to the cache's refs. */
    ReentrantLock lock(String plan) {
        return locks.computeIfAbsent(plan, p -> new ReentrantLock());
    }

    /** Opens (creating or re-creating as needed) the plan's cache; the caller closes it. */
    Repository open(String plan) throws IOException {
        Path dir = dir(plan);
        if (Files.isDirectory(dir)) {
            try {
                return openExisting(dir);
            } catch (IOException | RuntimeException corrupt) {
                deleteTree(dir);
            }
        }
        Files.createDirectories(cacheRoot);
        Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
        repo.create(true);
        StoredConfig config = repo.getConfig();
        // Reflogs of a cache only take space; nobody reads them.
        config.setBoolean(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_LOGALLREFUPDATES,
                false);
        // JGit's automatic gc after a fetch stays on (many small packs would slow every run), but in the
        // fetching thread: a background gc would race a cache being dropped or a test directory being deleted.
        config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
        config.save();
        return repo;
    }

    private static Repository openExisting(Path dir) throws IOException {
        Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().setMustExist(true).build();
        try {
            // Reading the config and every ref proves the cache is usable; a broken one throws here.
            repo.getConfig().load();
            if (!repo.getObjectDatabase().exists()) {
                throw new IOException("no object database in " + dir);
            }
            repo.getRefDatabase().getRefs();
            return repo;
        } catch (Exception e) {
            repo.close();
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    static void deleteTree(Path dir) {
        for (int attempt = 1; Files.exists(dir); attempt++) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException | UncheckedIOException e) {
                // A file that vanished during the walk (a lock file JGit creates and removes): walk again.
                if (attempt >= 5) {
                    throw new UncheckedIOException("cannot delete " + dir,
                            e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
                }
                continue;
            }
            if (attempt >= 5 && Files.exists(dir)) {
                throw new UncheckedIOException(new IOException("cannot delete " + dir + ": files keep appearing"));
            }
        }
    }
}
