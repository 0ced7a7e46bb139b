package io.romadr.activities.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.lib.TreeFormatter;
import org.junit.jupiter.api.Test;

/**
 * The received-pack graph check, fed real git objects (made by JGit's formatters) as the pack parser would: two
 * commits (the second with the first as parent), each with a tree of one blob, an annotated tag on the second.
 */
class PackGraphTest {
    private static final PersonIdent WHO = new PersonIdent("Test", "test@test.invalid", 1_767_225_600_000L, 0);

    private final ObjectInserter.Formatter fmt = new ObjectInserter.Formatter();
    private final byte[] blob1 = "one\n".getBytes(StandardCharsets.UTF_8);
    private final byte[] blob2 = "two\n".getBytes(StandardCharsets.UTF_8);
    private final byte[] tree1 = tree(id(Constants.OBJ_BLOB, blob1));
    private final byte[] tree2 = tree(id(Constants.OBJ_BLOB, blob2));
    private final byte[] commit1;
    private final byte[] commit2;
    private final byte[] tag;

    PackGraphTest() throws UnsupportedEncodingException {
        commit1 = commit(id(Constants.OBJ_TREE, tree1));
        commit2 = commit(id(Constants.OBJ_TREE, tree2), id(Constants.OBJ_COMMIT, commit1));
        tag = tag(id(Constants.OBJ_COMMIT, commit2));
    }

    @Test
    void aPackWithEverythingTheTipsReachIsComplete() throws Exception {
        PackGraph graph = receive(true, true);
        assertNull(graph.missing(List.of(id(Constants.OBJ_TAG, tag), id(Constants.OBJ_COMMIT, commit2))));
    }

    @Test
    void namesAnObjectThatIsPointedToButNotReceived() throws Exception {
        assertEquals(id(Constants.OBJ_BLOB, blob1), receive(false, true).missing(List.of(
                id(Constants.OBJ_COMMIT, commit2))));
        assertEquals(id(Constants.OBJ_COMMIT, commit1), receive(true, false).missing(List.of(
                id(Constants.OBJ_COMMIT, commit2))));
    }

    @Test
    void namesAWantedTipThatIsNotReceived() throws Exception {
        ObjectId other = ObjectId.fromString("ab".repeat(20));
        assertEquals(other, receive(true, true).missing(List.of(other)));
    }

    @Test
    void aSubmoduleCommitInATreeIsNotExpectedInThePack() throws Exception {
        TreeFormatter withSubmodule = new TreeFormatter();
        withSubmodule.append("lib", FileMode.GITLINK, ObjectId.fromString("cd".repeat(20)));
        byte[] tree = withSubmodule.toByteArray();
        PackGraph graph = new PackGraph();
        graph.check(id(Constants.OBJ_TREE, tree), Constants.OBJ_TREE, tree);
        assertNull(graph.missing(List.of(id(Constants.OBJ_TREE, tree))));
    }

    @Test
    void stillRunsJGitsObjectChecks() {
        byte[] notACommit = "tree nonsense\n".getBytes(StandardCharsets.UTF_8);
        assertThrows(CorruptObjectException.class, () -> new PackGraph().check(id(Constants.OBJ_COMMIT,
                notACommit), Constants.OBJ_COMMIT, notACommit));
    }

    /** Blobs the way the parser hands them over: through the blob checker. */
    private PackGraph receive(boolean withBlob1, boolean withCommit1) throws Exception {
        PackGraph graph = new PackGraph();
        if (withBlob1) {
            graph.newBlobObjectChecker().endBlob(id(Constants.OBJ_BLOB, blob1));
        }
        graph.newBlobObjectChecker().endBlob(id(Constants.OBJ_BLOB, blob2));
        graph.check(id(Constants.OBJ_TREE, tree1), Constants.OBJ_TREE, tree1);
        graph.check(id(Constants.OBJ_TREE, tree2), Constants.OBJ_TREE, tree2);
        if (withCommit1) {
            graph.check(id(Constants.OBJ_COMMIT, commit1), Constants.OBJ_COMMIT, commit1);
        }
        graph.check(id(Constants.OBJ_COMMIT, commit2), Constants.OBJ_COMMIT, commit2);
        graph.check(id(Constants.OBJ_TAG, tag), Constants.OBJ_TAG, tag);
        return graph;
    }

    private ObjectId id(int type, byte[] raw) {
        return fmt.idFor(type, raw);
    }

    private static byte[] tree(ObjectId blob) {
        TreeFormatter t = new TreeFormatter();
        t.append("file.txt", FileMode.REGULAR_FILE, blob);
        return t.toByteArray();
    }

    private static byte[] commit(ObjectId tree, ObjectId... parents) throws UnsupportedEncodingException {
        CommitBuilder c = new CommitBuilder();
        c.setTreeId(tree);
        c.setParentIds(parents);
        c.setAuthor(WHO);
        c.setCommitter(WHO);
        c.setMessage("commit\n");
        return c.build();
    }

    private static byte[] tag(ObjectId commit) throws UnsupportedEncodingException {
        TagBuilder t = new TagBuilder();
        t.setObjectId(commit, Constants.OBJ_COMMIT);
        t.setTag("v1");
        t.setTagger(WHO);
        t.setMessage("tag\n");
        return t.build();
    }
}
