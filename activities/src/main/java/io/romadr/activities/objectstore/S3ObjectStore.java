package io.romadr.activities.objectstore;

import io.romadr.activities.aws.AwsClients;
import io.romadr.activities.digest.Sha256;
import io.romadr.plan.BackupStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Objects in an S3 (or S3-compatible) bucket under an optional key prefix. Streaming uploads are multipart uploads
 * with a fixed part size, so memory is one part buffer whatever the object size; nothing is visible before
 * CompleteMultipartUpload. Every part and every {@link #put} carries its SHA-256 so the store rejects corrupted
 * bytes. Small streamed objects (under one part) are sent with a single PutObject.
 *
 * <p>Long on purpose: it is one {@link ObjectStore} over one S3 API, most of it the resumable multipart upload whose
 * checkpoint, part checksums and completion must be read together.
 */
public final class S3ObjectStore implements ObjectStore {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(S3ObjectStore.class);

    public static final int DEFAULT_PART_SIZE = 16 * 1024 * 1024;
    /** S3 refuses non-final parts below 5 MiB. */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

    // S3 bucket naming rules (the subset that matters for a URI typo): 3-63 chars, lower case, digits, dot, dash.
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final int partSize;

    /**
     * Credentials the store names ({@code credentials:}, from the worker's environment), else the AWS default chain
     * (environment, profile, instance role).
     */
    public S3ObjectStore(BackupStore spec) {
        this(spec, AwsClients.credentials(spec.credentials(), System::getenv), DEFAULT_PART_SIZE);
    }

    public S3ObjectStore(BackupStore spec, AwsCredentialsProvider credentials, int partSize) {
        Location loc = parse(spec.uri());
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("part size " + partSize + " is below the S3 minimum " + MIN_PART_SIZE);
        }
        this.bucket = loc.bucket();
        this.prefix = loc.prefix();
        this.partSize = partSize;
        this.s3 = client(spec, credentials);
    }

    /** Bucket and key prefix ({@code ""} or ending in {@code /}) of an {@code s3://bucket/prefix} URI. */
    public record Location(String bucket, String prefix) {
    }

    public static Location parse(String uri) {
        if (uri == null || !uri.startsWith("s3://")) {
            throw new IllegalArgumentException("not an S3 URI (expected s3://bucket[/prefix]): \"" + uri + "\"");
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("invalid bucket name \"" + bucket + "\" in \"" + uri
                    + "\": 3-63 lower-case letters, digits, '.' or '-'");
        }
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (!prefix.isEmpty()) {
            try {
                ObjectStore.checkKey(prefix);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid key prefix \"" + prefix + "\" in \"" + uri + "\"", e);
            }
            prefix = prefix + "/";
        }
        return new Location(bucket, prefix);
    }

    static S3Client client(BackupStore spec, AwsCredentialsProvider credentials) {
        return AwsClients.build(S3Client.builder().forcePathStyle(spec.pathStyle()), spec.region(), spec.endpoint(),
                credentials);
    }

    @Override
    public String location() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1));
    }

    public int partSize() {
        return partSize;
    }

    private String fullKey(String key) {
        return prefix + ObjectStore.checkKey(key);
    }

    private IOException failure(String op, String key, SdkException e) {
        return new IOException(op + " " + location() + " key \"" + key + "\" failed: " + e.getMessage(), e);
    }

    @Override
    public ObjectUpload startUpload(String key, UploadCheckpoint resume, Consumer<UploadCheckpoint> onCheckpoint)
            throws IOException {
        String full = fullKey(key);
        Map<Integer, UploadCheckpoint.Part> reusable = new HashMap<>();
        String uploadId = null;
        if (resume != null && key.equals(resume.key()) && resume.uploadId() != null && resume.partSize() == partSize) {
            Map<Integer, Part> stored = storedParts(full, resume.uploadId());
            if (stored != null) {
                uploadId = resume.uploadId();
                // Only parts the store still holds with the recorded ETag and size can be skipped.
                for (UploadCheckpoint.Part p : resume.parts()) {
                    Part s = stored.get(p.number());
                    if (s != null && s.eTag().equals(p.etag()) && s.size() == p.size()) {
                        reusable.put(p.number(), p);
                    }
                }
            }
        }
        return new S3Upload(key, full, uploadId, reusable, onCheckpoint == null ? cp -> {
        } : onCheckpoint);
    }

    /** The parts of a multipart upload by number, or null when the store no longer knows the upload. */
    private Map<Integer, Part> storedParts(String full, String uploadId) throws IOException {
        try {
            // S3 answers NoSuchUpload to ListParts with another key's upload id, but compatible stores (moto) do
            // not check the key, and completing such an upload would write the other key: look it up first.
            boolean ours = s3.listMultipartUploadsPaginator(r -> r.bucket(bucket).prefix(full)).uploads().stream()
                    .anyMatch(u -> u.key().equals(full) && u.uploadId().equals(uploadId));
            if (!ours) {
                return null;
            }
            Map<Integer, Part> parts = new HashMap<>();
            s3.listPartsPaginator(r -> r.bucket(bucket).key(full).uploadId(uploadId))
                    .parts().forEach(p -> parts.put(p.partNumber(), p));
            return parts;
        } catch (NoSuchUploadException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw failure("ListParts", full, e);
        } catch (SdkException e) {
            throw failure("ListParts", full, e);
        }
    }

    /**
     * A multipart upload in progress. The multipart upload is created when the first part is full, so an object
     * smaller than one part is a single PutObject and never leaves an incomplete upload behind.
     */
    public final class S3Upload extends ObjectUpload {
        private final String key;
        private final String full;
        private final Map<Integer, UploadCheckpoint.Part> reusable;
        private final Consumer<UploadCheckpoint> onCheckpoint;
        private final List<UploadCheckpoint.Part> parts = new ArrayList<>();
        private final byte[] buffer = new byte[partSize];
        private int filled;
        private String uploadId;
        private boolean matching = true;
        private boolean done;
        private int partsSent;
        private int partsReused;

        private S3Upload(String key, String full, String uploadId, Map<Integer, UploadCheckpoint.Part> reusable,
                Consumer<UploadCheckpoint> onCheckpoint) {
            this.key = key;
            this.full = full;
            this.uploadId = uploadId;
            this.reusable = reusable;
            this.onCheckpoint = onCheckpoint;
        }

        /** Parts uploaded by this attempt. */
        public int partsSent() {
            return partsSent;
        }

        /** Parts kept from the resumed upload because their bytes came out identical. */
        public int partsReused() {
            return partsReused;
        }

        /** The multipart upload id, null while the object still fits in one part. */
        public String uploadId() {
            return uploadId;
        }

        private void checkOpen() throws IOException {
            if (done) {
                throw new IOException("upload of " + key + " already finished");
            }
        }

        @Override
        public void write(int b) throws IOException {
            checkOpen();
            buffer[filled++] = (byte) b;
            if (filled == buffer.length) {
                flushPart();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            checkOpen();
            Objects.checkFromIndexSize(off, len, b.length);
            while (len > 0) {
                int n = Math.min(len, buffer.length - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
                if (filled == buffer.length) {
                    flushPart();
                }
            }
        }

        private void flushPart() throws IOException {
            int number = parts.size() + 1;
            byte[] sha = sha256(buffer, filled);
            String shaHex = HexFormat.of().formatHex(sha);
            UploadCheckpoint.Part old = reusable.get(number);
            if (matching && old != null && old.size() == filled && old.sha256().equals(shaHex)) {
                parts.add(old);
                partsReused++;
            } else {
                matching = false;
                if (uploadId == null) {
                    uploadId = create();
                }
                parts.add(new UploadCheckpoint.Part(number, filled, shaHex, uploadPart(number, sha)));
                partsSent++;
            }
            filled = 0;
            onCheckpoint.accept(checkpoint());
        }

        /** Stored parts so far; while the resumed bytes still match, the not yet re-produced stored parts too. */
        private UploadCheckpoint checkpoint() {
            List<UploadCheckpoint.Part> all = new ArrayList<>(parts);
            if (matching) {
                reusable.values().stream()
                        .filter(p -> p.number() > parts.size())
                        .sorted(Comparator.comparingInt(UploadCheckpoint.Part::number))
                        .forEach(all::add);
            }
            return new UploadCheckpoint(key, uploadId, partSize, all);
        }

        private String create() throws IOException {
            try {
                return s3.createMultipartUpload(r -> r.bucket(bucket).key(full)
                        .checksumAlgorithm(ChecksumAlgorithm.SHA256)).uploadId();
            } catch (SdkException e) {
                throw failure("CreateMultipartUpload", full, e);
            }
        }

        private String uploadPart(int number, byte[] sha) throws IOException {
            String b64 = Base64.getEncoder().encodeToString(sha);
            int len = filled;
            try {
                // The provider re-reads the buffer on an SDK retry; no copy of the part is made.
                UploadPartResponse r = s3.uploadPart(b -> b.bucket(bucket).key(full).uploadId(uploadId)
                        .partNumber(number).contentLength((long) len)
                        .checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumSHA256(b64),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, len), len,
                                "application/octet-stream"));
                if (r.checksumSHA256() != null && !r.checksumSHA256().equals(b64)) {
                    throw new IOException("part " + number + " of " + full + ": store computed SHA-256 "
                            + r.checksumSHA256() + ", sent " + b64);
                }
                return r.eTag();
            } catch (SdkException e) {
                throw failure("UploadPart " + number + " of", full, e);
            }
        }

        @Override
        public ObjectInfo commit() throws IOException {
            checkOpen();
            long size;
            String checksum;
            // "done" is set only once the object exists: after a failed commit, close() still aborts and a retried
            // commit() completes the same parts.
            if (parts.isEmpty()) {
                // Fits in one part: a plain PutObject. A resumed upload that produced no full part is dropped.
                abortQuietly();
                uploadId = null;
                checksum = putBytes(full, buffer, filled);
                done = true;
                size = filled;
            } else {
                if (filled > 0) {
                    flushPart();
                }
                List<CompletedPart> completed = parts.stream()
                        .map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag())
                                .checksumSHA256(Base64.getEncoder().encodeToString(
                                        HexFormat.of().parseHex(p.sha256())))
                                .build())
                        .toList();
                try {
                    s3.completeMultipartUpload(r -> r.bucket(bucket).key(full).uploadId(uploadId)
                            .multipartUpload(m -> m.parts(completed)));
                } catch (SdkException e) {
                    throw failure("CompleteMultipartUpload", full, e);
                }
                done = true;
                checksum = compositeSha256(parts);
                size = parts.stream().mapToLong(UploadCheckpoint.Part::size).sum();
                // Operators (and the crash test) see whether a retry resumed or started over.
                LOG.info("completed multipart upload of {}: {} part(s) sent, {} reused from an earlier attempt",
                        full, partsSent, partsReused);
            }
            return verify(key, full, size, checksum);
        }

        @Override
        public void abort() throws IOException {
            if (!done) {
                done = true;
                if (uploadId != null) {
                    try {
                        s3.abortMultipartUpload(r -> r.bucket(bucket).key(full).uploadId(uploadId));
                    } catch (NoSuchUploadException e) {
                        // already gone: nothing to drop
                    } catch (SdkException e) {
                        throw failure("AbortMultipartUpload", full, e);
                    }
                }
            }
        }

        private void abortQuietly() {
            if (uploadId != null) {
                try {
                    s3.abortMultipartUpload(r -> r.bucket(bucket).key(full).uploadId(uploadId));
                } catch (SdkException e) {
                    // A leftover incomplete upload only costs storage until the bucket lifecycle rule drops it.
                }
            }
        }

        @Override
        public void abandon() {
            // Keep the uploaded parts; the last checkpoint lets a later attempt skip them.
            done = true;
        }

        @Override
        public void close() throws IOException {
            abort();
        }
    }

    /**
     * Reads back what the store holds after a commit: size and SHA-256 checksum must be what we sent. For a
     * multipart object the store's checksum is SHA-256 over the parts' digests, computed from the part bytes it
     * holds, so this also proves reused parts are the bytes the resumed stream produced.
     */
    private ObjectInfo verify(String key, String full, long size, String sha256) throws IOException {
        HeadObjectResponse h;
        try {
            h = s3.headObject(r -> r.bucket(bucket).key(full).checksumMode(ChecksumMode.ENABLED));
        } catch (SdkException e) {
            throw failure("HeadObject after commit of", full, e);
        }
        if (h.contentLength() != size) {
            throw new IOException("committed " + full + " has " + h.contentLength() + " bytes, wrote " + size);
        }
        // S3 suffixes a multipart checksum with "-<parts>"; a store without checksums returns none.
        String stored = h.checksumSHA256() == null ? null : h.checksumSHA256().replaceFirst("-\\d+$", "");
        if (stored != null && !stored.equals(sha256)) {
            throw new IOException("committed " + full + " has SHA-256 checksum " + h.checksumSHA256()
                    + ", sent " + sha256);
        }
        return new ObjectInfo(key, h.contentLength(), h.lastModified());
    }

    @Override
    public void put(String key, byte[] content) throws IOException {
        putBytes(fullKey(key), content, content.length);
    }

    /** PutObject with the content's SHA-256 (the store rejects a mismatch); returns it base64-encoded. */
    private String putBytes(String full, byte[] content, int len) throws IOException {
        String b64 = Base64.getEncoder().encodeToString(sha256(content, len));
        try {
            s3.putObject(r -> r.bucket(bucket).key(full).contentLength((long) len)
                    .checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumSHA256(b64),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(content, 0, len), len,
                            "application/octet-stream"));
        } catch (SdkException e) {
            throw failure("PutObject", full, e);
        }
        return b64;
    }

    @Override
    public InputStream open(String key) throws IOException {
        String full = fullKey(key);
        try {
            return s3.getObject(r -> r.bucket(bucket).key(full));
        } catch (NoSuchKeyException e) {
            throw new NoSuchObjectException(location(), key);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new NoSuchObjectException(location(), key);
            }
            throw failure("GetObject", full, e);
        } catch (SdkException e) {
            throw failure("GetObject", full, e);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        String full = fullKey(key);
        try {
            HeadObjectResponse h = s3.headObject(r -> r.bucket(bucket).key(full));
            return Optional.of(new ObjectInfo(key, h.contentLength(), h.lastModified()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("HeadObject", full, e);
        } catch (SdkException e) {
            throw failure("HeadObject", full, e);
        }
    }

    @Override
    public List<ObjectInfo> list(String keyPrefix) throws IOException {
        List<ObjectInfo> found = new ArrayList<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix + keyPrefix)).contents()) {
                found.add(new ObjectInfo(o.key().substring(prefix.length()), o.size(), o.lastModified()));
            }
        } catch (SdkException e) {
            throw failure("ListObjectsV2", prefix + keyPrefix, e);
        }
        // S3 orders by UTF-8 bytes; sort as Java strings so every store lists in the same order.
        found.sort(Comparator.comparing(ObjectInfo::key));
        return found;
    }

    @Override
    public void delete(String key) throws IOException {
        String full = fullKey(key);
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(full));
        } catch (NoSuchKeyException e) {
            // already gone
        } catch (SdkException e) {
            throw failure("DeleteObject", full, e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    /** base64(SHA-256(digest of part 1 || digest of part 2 || ...)), how S3 checksums a multipart object. */
    static String compositeSha256(List<UploadCheckpoint.Part> parts) {
        MessageDigest md = Sha256.newDigest();
        for (UploadCheckpoint.Part p : parts) {
            md.update(HexFormat.of().parseHex(p.sha256()));
        }
        return Base64.getEncoder().encodeToString(md.digest());
    }

    private static byte[] sha256(byte[] b, int len) {
        MessageDigest md = Sha256.newDigest();
        md.update(b, 0, len);
        return md.digest();
    }
}
