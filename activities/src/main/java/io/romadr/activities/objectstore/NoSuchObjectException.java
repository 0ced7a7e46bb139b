package io.romadr.activities.objectstore;

import java.io.FileNotFoundException;

/** The key does not exist in the store. */
public final class NoSuchObjectException extends FileNotFoundException {
    public NoSuchObjectException(String location, String key) {
        super("no object \"" + key + "\" in " + location);
    }
}
