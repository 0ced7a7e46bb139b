package io.romadr.activities.objectstore;

import io.romadr.activities.aws.AwsClients;
import io.romadr.plan.BackupStore;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Opens the store a plan's backup section names. */
public final class ObjectStores {
    private ObjectStores() {
    }

    /**
     * {@code file:///dir} -> {@link LocalObjectStore}, {@code s3://bucket/prefix} -> {@link S3ObjectStore} with the
     * store's own {@code credentials} (from the worker's environment) or the default AWS chain.
     */
    public static ObjectStore open(BackupStore spec) throws IOException {
        return open(spec, System::getenv);
    }

    /** As {@link #open(BackupStore)}, with the environment {@code env} the store's credentials are read from. */
    public static ObjectStore open(BackupStore spec, UnaryOperator<String> env) throws IOException {
        String uri = spec.uri();
        if (uri.startsWith("s3://")) {
            return new S3ObjectStore(spec, AwsClients.credentials(spec.credentials(), env),
                    S3ObjectStore.DEFAULT_PART_SIZE);
        }
        if (uri.startsWith("file:")) {
            return new LocalObjectStore(localPath(uri));
        }
        throw new IllegalArgumentException("unsupported backup store URI \"" + uri
                + "\": expected file:///absolute/dir or s3://bucket[/prefix]");
    }

    static Path localPath(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed backup store URI \"" + uri + "\": " + e.getReason()
                    + " (spaces and other special characters must be percent-encoded)");
        }
        try {
            // Path.of(URI) rejects hosts, queries, fragments and relative paths with a terse message.
            return Path.of(parsed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("backup store URI \"" + uri
                    + "\" is not a local directory (expected file:///absolute/dir): " + e.getMessage());
        }
    }
}
