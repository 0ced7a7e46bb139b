package io.romadr.activities.git;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.BatchRefUpdate;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.ObjectWalk;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.PackLock;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.Transport;

/**
 * A fetch into a repository that has no refs yet (a new mirror cache, a scratch repository): the remote sends the
 * whole history in one pack, whose object graph is checked while the pack is parsed ({@link PackGraph}) instead of
 * by JGit's walk over every commit and tree afterwards, which costs as much as the parse itself. Every received
 * object still passes JGit's object checks, and the refs are created only when the pack holds everything they
 * reach. A pack that is not complete on its own (a shallow primary's history, a remote that leaves objects out) is
 * checked with JGit's walk, as any other fetch: it accepts what the repository's shallow list allows and fails on
 * anything else that is missing.
 */
final class FirstFetch {
    private FirstFetch() {
    }

    /** Only wildcard specs (a source ref that is not there is then no error) into a repository without refs. */
    static boolean applies(Repository local, List<RefSpec> specs) throws IOException {
        return specs.stream().allMatch(RefSpec::isWildcard) && !local.getRefDatabase().hasRefs();
    }

    /** Fetches and creates the refs {@code specs} map; returns every ref the remote advertised. */
    static Collection<Ref> run(Transport transport, Repository local, List<RefSpec> specs, ProgressMonitor monitor)
            throws IOException {
        PackGraph graph = new PackGraph();
        transport.setObjectChecker(graph);
        Map<String, Ref> created = new LinkedHashMap<>();
        Collection<Ref> advertised;
        try (FetchConnection conn = transport.openFetch(specs)) {
            advertised = conn.getRefs();
            for (Ref src : advertised) {
                for (RefSpec spec : specs) {
                    if (!src.isSymbolic() && src.getObjectId() != null && spec.matchSource(src)) {
                        created.putIfAbsent(spec.expandFromSource(src).getDestination(), src);
                    }
                }
            }
            if (created.isEmpty()) {
                return advertised;
            }
            List<Ref> want = created.values().stream().distinct().toList();
            try {
                conn.fetch(monitor, want, Set.of());
            } finally {
                for (PackLock lock : conn.getPackLocks()) {
                    lock.unlock();
                }
            }
            List<ObjectId> tips = want.stream().map(Ref::getObjectId).toList();
            if (!conn.didFetchTestConnectivity() && graph.missing(tips) != null) {
                checkConnectivity(transport, local, tips);
            }
        }
        createRefs(local, created);
        return advertised;
    }

    /** JGit's own check (what {@code Transport.fetch} runs after every fetch). */
    private static void checkConnectivity(Transport transport, Repository local, List<ObjectId> tips)
            throws IOException {
        try (ObjectWalk walk = new ObjectWalk(local)) {
            for (ObjectId tip : tips) {
                walk.markStart(walk.parseAny(tip));
            }
            walk.checkConnectivity();
        } catch (MissingObjectException e) {
            // JGit's own words for this failure, so every fetch reports it alike.
            throw new TransportException(transport.getURI(), "peer did not supply a complete object graph");
        }
    }

    private static void createRefs(Repository local, Map<String, Ref> created) throws IOException {
        BatchRefUpdate batch = local.getRefDatabase().newBatchUpdate().setAllowNonFastForwards(true)
                .setRefLogMessage("fetch", true);
        List<ReceiveCommand> commands = new ArrayList<>();
        created.forEach((name, src) -> commands.add(new ReceiveCommand(ObjectId.zeroId(), src.getObjectId(),
                name)));
        batch.addCommand(commands);
        try (RevWalk walk = new RevWalk(local)) {
            batch.execute(walk, NullProgressMonitor.INSTANCE);
        }
        for (ReceiveCommand c : commands) {
            if (c.getResult() != ReceiveCommand.Result.OK) {
                throw new IOException("cannot create " + c.getRefName() + ": " + c.getResult()
                        + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")"));
            }
        }
    }
}
