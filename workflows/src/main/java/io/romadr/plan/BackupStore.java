package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Where backups are stored. {@code uri} is {@code file:///abs/dir} (a local directory, the embedded default) or
 * {@code s3://bucket/optional/prefix}. For S3-compatible stores set {@code endpoint} (e.g. {@code http://127.0.0.1:9000})
 * and {@code pathStyle: true}. Credentials come from the worker's environment (the AWS default chain), or from where
 * {@code credentials} points (a profile or environment variables of the worker); never from the plan itself.
 */
public record BackupStore(String uri, String endpoint, String region, Boolean pathStyle,
        StoreCredentials credentials) {

    /** A store opened with the worker's default AWS credentials. */
    public BackupStore(String uri, String endpoint, String region, Boolean pathStyle) {
        this(uri, endpoint, region, pathStyle, null);
    }

    public BackupStore {
        InvalidFieldException.requireText(uri, "uri");
        InvalidFieldException.require(uri.startsWith("file:/") || uri.startsWith("s3://"), "uri",
                "must start with file:/ (a local directory) or s3:// (a bucket), got \"" + uri + "\"");
        if (uri.startsWith("s3://")) {
            String rest = uri.substring("s3://".length());
            InvalidFieldException.require(!rest.isEmpty() && !rest.startsWith("/"), "uri",
                    "must name a bucket: s3://bucket[/prefix]");
        }
        region = region == null || region.isBlank() ? "us-east-1" : region;
        pathStyle = pathStyle != null && pathStyle;
    }

    @JsonIgnore
    public boolean isS3() {
        return uri.startsWith("s3://");
    }
}
