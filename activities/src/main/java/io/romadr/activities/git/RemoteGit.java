package io.romadr.activities.git;

import io.romadr.activities.git.GitTransports.OpenTransport;
import io.romadr.plan.GitRemote;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.errors.NotSupportedException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.TagOpt;

/**
 * The three conversations with a remote the mirror and the recovery need: list its refs, fetch, push. A failure
 * to talk to the remote becomes a {@link GitRemoteUnreachableException} naming it ("backup remote backup-2
 * (git://...) unreachable: ..."), with credentials kept out of the text.
 */
final class RemoteGit {
    private final GitTransports transports;

    RemoteGit(GitTransports transports) {
        this.transports = transports;
    }

    /** The remote's branches and tags (ref name -> id; an annotated tag's id is the tag object's). */
    Map<String, String> lsRemote(Repository local, GitRemote remote, String role) {
        try (OpenTransport t = transports.open(local, remote);
                FetchConnection conn = t.transport().openFetch()) {
            return headsAndTags(conn.getRefs());
        } catch (TransportException | NotSupportedException e) {
            throw unreachable(remote, role, e);
        }
    }

    /**
     * Fetches {@code specs} with pruning (a ref gone from the remote is deleted locally), checking every received
     * object and that the fetched refs reach only objects the repository holds; returns the branches and tags the
     * remote advertised. Into a repository without refs, {@link FirstFetch} does the same with a cheaper check.
     */
    Map<String, String> fetch(Repository local, GitRemote remote, String role, List<RefSpec> specs,
            ProgressMonitor monitor) throws IOException {
        try (OpenTransport t = transports.open(local, remote)) {
            t.transport().setRemoveDeletedRefs(true);
            t.transport().setCheckFetchedObjects(true);
            t.transport().setTagOpt(TagOpt.NO_TAGS);
            if (FirstFetch.applies(local, specs)) {
                return headsAndTags(FirstFetch.run(t.transport(), local, specs, monitor));
            }
            return headsAndTags(t.transport().fetch(monitor, specs).getAdvertisedRefs());
        } catch (TransportException e) {
            throw unreachable(remote, role, e);
        }
    }

    PushResult push(Repository local, GitRemote remote, Collection<RemoteRefUpdate> updates, ProgressMonitor monitor)
            throws IOException {
        return push(local, remote, "backup", updates, monitor);
    }

    PushResult push(Repository local, GitRemote remote, String role, Collection<RemoteRefUpdate> updates,
            ProgressMonitor monitor) throws IOException {
        try (OpenTransport t = transports.open(local, remote)) {
            return t.transport().push(monitor, updates);
        } catch (TransportException e) {
            throw unreachable(remote, role, e);
        }
    }

    /** Without the cause: JGit's own exception texts may quote a URL with user-info, and Temporal records causes. */
    static GitRemoteUnreachableException unreachable(GitRemote remote, String role, Exception e) {
        String detail = clean(remote, e.getMessage());
        // JGit says "not authorized" when the server turned the credentials (or their absence) away.
        String what = detail.contains("not authorized") ? "refused the credentials" : "unreachable";
        return new GitRemoteUnreachableException(role + " remote " + remote.name() + " (" + remote.displayUrl()
                + ") " + what + ": " + detail, detail);
    }

    /**
     * A JGit message without the remote's user-info (JGit quotes the URL as configured) and without control
     * characters (a server's side-band message ends in NUL or newlines).
     */
    static String clean(GitRemote remote, String message) {
        if (message == null) {
            return "no detail";
        }
        return message.replace(remote.url(), remote.displayUrl()).replaceAll("(\\w+://)[^/@\\s]+@", "$1")
                .replaceAll("\\p{Cntrl}+", " ").trim();
    }

    static Map<String, String> headsAndTags(Collection<Ref> refs) {
        Map<String, String> out = new TreeMap<>();
        for (Ref ref : refs) {
            if (isHeadOrTag(ref.getName()) && !ref.isSymbolic() && ref.getObjectId() != null) {
                out.put(ref.getName(), ref.getObjectId().name());
            }
        }
        return out;
    }

    /** The branches and tags of a request's ref map, sorted (other refs are never pushed). */
    static Map<String, String> wantedHeadsAndTags(Map<String, String> refs) {
        Map<String, String> wanted = new TreeMap<>();
        refs.forEach((ref, id) -> {
            if (isHeadOrTag(ref)) {
                wanted.put(ref, id);
            }
        });
        return wanted;
    }

    /** Why the remote refused one ref of a push: {@code ref: STATUS (message)}. */
    static String rejection(RemoteRefUpdate u) {
        return u.getRemoteName() + ": " + u.getStatus() + (u.getMessage() == null ? "" : " (" + u.getMessage() + ")");
    }

    static boolean isHeadOrTag(String name) {
        return name.startsWith("refs/heads/") || name.startsWith("refs/tags/");
    }
}
