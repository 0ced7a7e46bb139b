package io.romadr.activities.git;

import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.BlobObjectChecker;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.MutableObjectId;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectIdSubclassMap;

/**
 * JGit's object checks for a received pack, which also note, while each object is parsed anyway, the objects the
 * pack holds and the objects they point to (a commit's tree and parents, a tree's entries, a tag's object). After
 * the parse, {@link #missing} tells whether the pack is complete on its own: git's index-pack
 * {@code --check-self-contained-and-connected}, without a second walk over the whole history.
 */
final class PackGraph extends ObjectChecker {
    private static final int GITLINK_MODE = FileMode.GITLINK.getBits();

    private final ObjectIdSubclassMap<ObjectId> received = new ObjectIdSubclassMap<>();
    private final ObjectIdSubclassMap<ObjectId> pointedTo = new ObjectIdSubclassMap<>();
    private final MutableObjectId scratch = new MutableObjectId();

    @Override
    public void check(AnyObjectId id, int objType, byte[] raw) throws CorruptObjectException {
        super.check(id, objType, raw);
        switch (objType) {
            case Constants.OBJ_COMMIT -> noteCommit(raw);
            case Constants.OBJ_TREE -> noteTree(raw);
            case Constants.OBJ_TAG -> pointsTo(ObjectId.fromString(raw, "object ".length()));
            default -> {
                // A blob is noted by its blob checker (super.check hands it over); it points to nothing.
            }
        }
        if (objType != Constants.OBJ_BLOB) {
            noteReceived(id);
        }
    }

    /** The parser streams large blobs through this instead of {@link #check}; a blob points to nothing. */
    @Override
    public BlobObjectChecker newBlobObjectChecker() {
        return new BlobObjectChecker() {
            @Override
            public void update(byte[] in, int offset, int len) {
                // Blob content is not checked (as with JGit's default checker).
            }

            @Override
            public void endBlob(AnyObjectId id) {
                noteReceived(id);
            }
        };
    }

    /** The first object pointed to (or wanted) that the pack does not hold, or null when it is complete. */
    ObjectId missing(Iterable<? extends AnyObjectId> wanted) {
        for (AnyObjectId id : wanted) {
            if (!received.contains(id)) {
                return id.copy();
            }
        }
        for (ObjectId id : pointedTo) {
            if (!received.contains(id)) {
                return id;
            }
        }
        return null;
    }

    /** "tree {hex}\n" then "parent {hex}\n" lines (super.check has verified the format). */
    private void noteCommit(byte[] raw) {
        pointsTo(ObjectId.fromString(raw, "tree ".length()));
        int p = "tree ".length() + Constants.OBJECT_ID_STRING_LENGTH + 1;
        byte[] parent = Constants.encodeASCII("parent ");
        while (startsWith(raw, p, parent)) {
            pointsTo(ObjectId.fromString(raw, p + parent.length));
            p += parent.length + Constants.OBJECT_ID_STRING_LENGTH + 1;
        }
    }

    /** Entries "{octal mode} {name}\0{20-byte id}"; a submodule's commit (gitlink) lives in another repository. */
    private void noteTree(byte[] raw) {
        int p = 0;
        while (p < raw.length) {
            int mode = 0;
            while (raw[p] != ' ') {
                mode = (mode << 3) + (raw[p++] - '0');
            }
            while (raw[p] != 0) {
                p++;
            }
            p++;
            if (mode != GITLINK_MODE) {
                scratch.fromRaw(raw, p);
                if (!pointedTo.contains(scratch)) {
                    pointedTo.add(scratch.toObjectId());
                }
            }
            p += Constants.OBJECT_ID_LENGTH;
        }
    }

    private void pointsTo(ObjectId id) {
        if (!pointedTo.contains(id)) {
            pointedTo.add(id);
        }
    }

    private void noteReceived(AnyObjectId id) {
        if (!received.contains(id)) {
            received.add(id.copy());
        }
    }

    private static boolean startsWith(byte[] raw, int p, byte[] prefix) {
        if (p + prefix.length > raw.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (raw[p + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
