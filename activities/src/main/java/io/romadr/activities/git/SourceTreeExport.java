package io.romadr.activities.git;

import io.romadr.plan.GitBackupSpec;
import io.romadr.plan.GitRemote;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Scenario 3's "git clone": the branch's tree from the first remote that answers (the primary, then each backup in
 * plan order), written as a tar (regular files with their executable bit, symlinks; submodules are not followed).
 * Fetched into a scratch repository per call, deleted afterwards.
 */
public final class SourceTreeExport {
    /** Which remote and commit the tree came from, how many entries, and why earlier remotes were passed over. */
    public record Exported(String remote, String commit, int files, List<String> skipped) {
    }

    private final Path scratchRoot;
    private final RemoteGit remotes;

    public SourceTreeExport(Path workRoot, Function<String, String> env) {
        this.scratchRoot = workRoot.resolve("scratch");
        this.remotes = new RemoteGit(new GitTransports(env));
    }

    /** Writes the tar to {@code tarFile}; fails with every remote's problem when none can give the branch. */
    public Exported export(GitBackupSpec git, String branch, Path tarFile, ProgressMonitor monitor) throws IOException {
        List<GitRemote> inOrder = new ArrayList<>();
        inOrder.add(git.primary());
        inOrder.addAll(git.backups());
        List<String> skipped = new ArrayList<>();
        String ref = Constants.R_HEADS + branch;
        for (GitRemote remote : inOrder) {
            String role = remote == git.primary() ? "primary" : "backup";
            try (ScratchRepository scratch = ScratchRepository.bare(scratchRoot, "source-")) {
                Repository repo = scratch.repo();
                try {
                    remotes.fetch(repo, remote, role, List.of(new RefSpec("+" + ref + ":" + ref)), monitor);
                } catch (GitRemoteUnreachableException e) {
                    skipped.add(remote.name() + ": " + e.detail());
                    continue;
                }
                ObjectId head = repo.resolve(ref);
                if (head == null) {
                    skipped.add(remote.name() + ": has no branch " + branch);
                    continue;
                }
                int files = writeTar(repo, head, tarFile);
                return new Exported(remote.name(), head.name(), files, skipped);
            }
        }
        String all = String.join("; ", skipped);
        throw new GitRemoteUnreachableException("no remote could give branch " + branch + ": " + all, all);
    }

    private static int writeTar(Repository repo, ObjectId commitId, Path tarFile) throws IOException {
        int count = 0;
        try (RevWalk walk = new RevWalk(repo);
                OutputStream out = Files.newOutputStream(tarFile);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            RevCommit commit = walk.parseCommit(commitId);
            try (TreeWalk tree = new TreeWalk(repo)) {
                tree.addTree(commit.getTree());
                tree.setRecursive(true);
                while (tree.next()) {
                    FileMode mode = tree.getFileMode(0);
                    String path = tree.getPathString();
                    if (mode == FileMode.GITLINK) {
                        continue;
                    }
                    ObjectLoader blob = repo.open(tree.getObjectId(0));
                    if (mode == FileMode.SYMLINK) {
                        TarArchiveEntry e = new TarArchiveEntry(path, TarArchiveEntry.LF_SYMLINK);
                        e.setLinkName(new String(blob.getBytes(), StandardCharsets.UTF_8));
                        e.setModTime(commit.getCommitTime() * 1000L);
                        tar.putArchiveEntry(e);
                        tar.closeArchiveEntry();
                    } else {
                        TarArchiveEntry e = new TarArchiveEntry(path);
                        e.setMode(mode == FileMode.EXECUTABLE_FILE ? 0100755 : 0100644);
                        e.setSize(blob.getSize());
                        e.setModTime(commit.getCommitTime() * 1000L);
                        tar.putArchiveEntry(e);
                        blob.copyTo(tar);
                        tar.closeArchiveEntry();
                    }
                    count++;
                }
            }
            tar.finish();
        }
        return count;
    }
}
