package io.romadr.activities.objectstore;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An object being written. {@link #commit()} makes it visible atomically and returns what was stored;
 * {@link #close()} without a commit aborts (nothing becomes visible; S3 multipart parts are kept only if the
 * caller wants to resume, see {@link #abandon()}).
 */
public abstract class ObjectUpload extends OutputStream {

    /** Finishes the upload; after this the object is readable under its key. */
    public abstract ObjectInfo commit() throws IOException;

    /** Drops the partial upload and everything sent so far. */
    public abstract void abort() throws IOException;

    /** Stops without committing or aborting, keeping uploaded parts for a later resume (S3); local: aborts. */
    public abstract void abandon() throws IOException;

    /** Closing without a commit aborts. */
    @Override
    public abstract void close() throws IOException;
}
