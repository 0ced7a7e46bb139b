package io.romadr.activities.git;

import io.romadr.plan.GitRemote;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.errors.MissingBundlePrerequisiteException;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportBundleStream;
import org.eclipse.jgit.transport.URIish;

/**
 * Fetches a whole history (every branch and tag) from a remote or a bundle file into a namespace of a scratch
 * repository, {@code refs/<namespace>/heads/*} and {@code refs/<namespace>/tags/*}, so several histories can sit
 * side by side, and reads a namespace back under the history's own ref names.
 */
final class HistoryFetch {
    private HistoryFetch() {
    }

    /** A bundle file that is not there, not a bundle, lacks its prerequisites or holds a damaged pack. */
    static final class BundleUnreadableException extends IOException {
        BundleUnreadableException(String message) {
            super(message);
        }

        BundleUnreadableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static List<RefSpec> specs(String namespace) {
        return List.of(new RefSpec("+refs/heads/*:refs/" + namespace + "/heads/*"),
                new RefSpec("+refs/tags/*:refs/" + namespace + "/tags/*"));
    }

    /** Throws {@link GitRemoteUnreachableException} (retryable, naming the remote) when the remote fails. */
    static Map<String, String> fromRemote(RemoteGit remotes, Repository scratch, GitRemote remote, String role,
            String namespace, ProgressMonitor monitor) throws IOException {
        remotes.fetch(scratch, remote, role, specs(namespace), monitor);
        return read(scratch, namespace);
    }

    /**
     * JGit's bundle transport checks the header, that the bundle's prerequisite commits are in {@code scratch}, and
     * every received object; a failure leaves no ref of the namespace behind.
     */
    static Map<String, String> fromBundle(Repository scratch, Path bundle, String namespace, ProgressMonitor monitor)
            throws IOException {
        if (!Files.isRegularFile(bundle) || !Files.isReadable(bundle)) {
            throw new BundleUnreadableException("bundle " + bundle + " does not exist or is not a readable file on "
                    + "the worker");
        }
        // The stream transport reads the file as a bundle whatever its name (Transport.open guesses by URL).
        try (Transport transport = new TransportBundleStream(scratch, new URIish().setPath(bundle.toString()),
                new BufferedInputStream(Files.newInputStream(bundle)))) {
            transport.setCheckFetchedObjects(true);
            transport.setTagOpt(TagOpt.NO_TAGS);
            transport.fetch(monitor, specs(namespace));
        } catch (IOException | RuntimeException e) {
            deleteNamespace(scratch, namespace);
            // JGit starts its messages with the bundle's path, which this one already names.
            String reason = oneLine(e.getMessage()).replace(bundle + ": ", "").replaceAll(" {2,}", " ");
            throw new BundleUnreadableException("bundle " + bundle + " failed verification: " + reason
                    + causeText(e), e);
        }
        Map<String, String> refs = read(scratch, namespace);
        if (refs.isEmpty()) {
            throw new BundleUnreadableException("bundle " + bundle + " holds no branches or tags");
        }
        return refs;
    }

    /**
     * Reads every object of {@code bundle} into a new, empty repository under {@code workDir} (deleted afterwards).
     * A fetch into a repository that already has the bundle's tips skips the bundle's pack entirely, so a damaged
     * bundle would pass unread; an empty one reads and checks all of it. Returns false when the bundle is
     * incremental (its prerequisites are not in an empty repository): it is then verified against the candidates'
     * repository only. Throws {@link BundleUnreadableException} for every other failure.
     */
    static boolean verifyAlone(Path bundle, Path workDir, ProgressMonitor monitor) throws IOException {
        try (ScratchRepository alone = ScratchRepository.bare(workDir, "bundle-")) {
            try {
                fromBundle(alone.repo(), bundle, "bundle", monitor);
                return true;
            } catch (BundleUnreadableException e) {
                if (e.getCause() instanceof MissingBundlePrerequisiteException) {
                    return false;
                }
                throw e;
            }
        }
    }

    /** The namespace's refs under their own names (refs/heads/..., refs/tags/...). */
    static Map<String, String> read(Repository scratch, String namespace) throws IOException {
        String prefix = "refs/" + namespace + "/";
        Map<String, String> out = new TreeMap<>();
        for (Ref ref : scratch.getRefDatabase().getRefsByPrefix(prefix)) {
            if (ref.getObjectId() != null) {
                out.put("refs/" + ref.getName().substring(prefix.length()), ref.getObjectId().name());
            }
        }
        return out;
    }

    private static void deleteNamespace(Repository scratch, String namespace) throws IOException {
        for (Ref ref : scratch.getRefDatabase().getRefsByPrefix("refs/" + namespace + "/")) {
            RefUpdate u = scratch.updateRef(ref.getName());
            u.setForceUpdate(true);
            u.delete();
        }
    }

    /** JGit often wraps the telling reason ("Missing prerequisite", "Unexpected end of input") in a cause. */
    private static String causeText(Throwable e) {
        StringBuilder out = new StringBuilder();
        Throwable c = e.getCause();
        for (int i = 0; c != null && i < 3; i++, c = c.getCause()) {
            String m = oneLine(c.getMessage());
            if (!m.isEmpty() && out.indexOf(m) < 0 && !oneLine(e.getMessage()).contains(m)) {
                out.append(" (").append(m).append(')');
            }
        }
        return out.toString();
    }

    static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\p{Cntrl}+", " ").trim();
    }
}
