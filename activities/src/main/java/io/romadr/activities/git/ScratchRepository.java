package io.romadr.activities.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A new repository in a fresh temporary directory under {@code workDir}, deleted with everything in it on close. A
 * temporary name per call means two activities (or a retry racing a late first attempt) never share one.
 */
final class ScratchRepository implements AutoCloseable {
    private final Path dir;
    private final Repository repo;

    private ScratchRepository(Path dir, Repository repo) {
        this.dir = dir;
        this.repo = repo;
    }

    /** A bare repository (only objects and refs are needed). */
    static ScratchRepository bare(Path workDir, String prefix) throws IOException {
        Files.createDirectories(workDir);
        Path dir = Files.createTempDirectory(workDir, prefix);
        return create(dir, new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build(), true);
    }

    /** A repository with a working tree ({@code dir}) and its .git inside, for commands that need checked-out files. */
    static ScratchRepository withWorkTree(Path workDir, String prefix) throws IOException {
        Files.createDirectories(workDir);
        Path dir = Files.createTempDirectory(workDir, prefix);
        return create(dir, new FileRepositoryBuilder().setWorkTree(dir.toFile())
                .setGitDir(dir.resolve(".git").toFile()).build(), false);
    }

    private static ScratchRepository create(Path dir, Repository repo, boolean bare) throws IOException {
        try {
            repo.create(bare);
            // No automatic gc: JGit runs it on a background thread after a fetch, racing the deletion on close.
            repo.getConfig().setInt(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTO, 0);
            repo.getConfig().save();
            return new ScratchRepository(dir, repo);
        } catch (IOException | RuntimeException e) {
            repo.close();
            MirrorCache.deleteTree(dir);
            throw e;
        }
    }

    Repository repo() {
        return repo;
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        repo.close();
        MirrorCache.deleteTree(dir);
    }
}
