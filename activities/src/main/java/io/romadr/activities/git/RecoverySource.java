package io.romadr.activities.git;

import io.romadr.plan.GitRemote;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.Repository;

/**
 * The history chosen to restore the primary from: a remote or a bundle file on the worker. Fetched into a scratch
 * repository's {@code refs/source/*} so the chosen refs' objects are at hand for a push or a comparison.
 */
final class RecoverySource {
    static final String NAMESPACE = "source";

    private RecoverySource() {
    }

    static String describe(GitRemote remote, String bundle) {
        return hasBundle(bundle) ? "bundle " + bundle : "remote " + remote.name() + " (" + remote.displayUrl() + ")";
    }

    /**
     * Fetches the source and checks that it still has every object of {@code refs} (the refs chosen at assessment);
     * a source that moved on since is a non-retryable failure: the operator must assess again.
     */
    static void fetch(RemoteGit remotes, Repository scratch, GitRemote remote, String bundle, Map<String, String> refs,
            ProgressMonitor monitor) throws IOException {
        if (hasBundle(bundle)) {
            try {
                HistoryFetch.fromBundle(scratch, Path.of(bundle), NAMESPACE, monitor);
            } catch (HistoryFetch.BundleUnreadableException e) {
                throw ApplicationFailure.newNonRetryableFailure("source " + e.getMessage(), "GitBundleUnreadable");
            }
        } else if (remote != null) {
            HistoryFetch.fromRemote(remotes, scratch, remote, "source", NAMESPACE, monitor);
        } else {
            throw ApplicationFailure.newNonRetryableFailure("no source: the request names neither a source remote "
                    + "nor a bundle", "InvalidGitRequest");
        }
        for (Map.Entry<String, String> e : refs.entrySet()) {
            if (!scratch.getObjectDatabase().has(ObjectId.fromString(e.getValue()))) {
                throw ApplicationFailure.newNonRetryableFailure(e.getKey() + " " + e.getValue() + " is not in "
                        + describe(remote, bundle) + " any more; it changed since the assessment, assess again",
                        "GitRefGone");
            }
        }
    }

    private static boolean hasBundle(String bundle) {
        return bundle != null && !bundle.isBlank();
    }
}
