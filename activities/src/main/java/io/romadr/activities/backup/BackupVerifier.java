package io.romadr.activities.backup;

import io.romadr.activities.FailureMessages;
import io.romadr.activities.archive.SafeExtractor;
import io.romadr.activities.archive.UnsafeArchiveException;
import io.romadr.activities.digest.Sha256;
import io.romadr.activities.heartbeat.Heartbeat;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.FileDigest;
import io.romadr.backup.VerifyResult;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a stored backup against its manifest without writing anything: the object's size and SHA-256, and for
 * tar.gz kinds every entry as a restore would check it (and, for artifacts, every file's size and SHA-256).
 */
final class BackupVerifier {
    private final SafeExtractor extractor;

    BackupVerifier(SafeExtractor extractor) {
        this.extractor = extractor;
    }

    /** A verification and the content bytes its scan counted (what extracting the archive writes). */
    record Verified(VerifyResult result, long contentBytes) {
    }

    /**
     * Streams the object once: size and SHA-256 against the manifest; for tar.gz kinds every entry is checked as a
     * restore would check it (nothing is written) and counted; for artifacts every file's size and SHA-256.
     */
    Verified verify(ObjectStore store, BackupManifest m, Heartbeat hb, long prefixBytes) throws IOException {
        String key = m.objectKey();
        if (store.stat(key).isEmpty()) {
            return new Verified(new VerifyResult(key, false, "missing object " + key + " in " + store.location(),
                    null, 0, 0), 0);
        }
        MessageDigest sha = Sha256.newDigest();
        long[] size = {0};
        List<String> fileProblems = new ArrayList<>();
        String archiveProblem = null;
        long entries = 0;
        long contentBytes = 0;
        try (InputStream raw = store.open(key)) {
            DigestInputStream in = new DigestInputStream(counting(raw, size, key, hb), sha);
            if (isArchive(m.kind())) {
                Map<String, FileDigest> expected = new LinkedHashMap<>();
                m.files().forEach(f -> expected.put(f.path(), f));
                Set<String> seen = new HashSet<>();
                boolean checkFiles = m.kind() == BackupKind.ARTIFACTS;
                try {
                    SafeExtractor.ScanResult scanned = extractor.scan(in, (path, entry, content) -> {
                        if (checkFiles) {
                            checkFile(path, content, expected.get(path), fileProblems);
                            seen.add(path);
                        }
                    }, prefixBytes);
                    entries = scanned.entries();
                    contentBytes = scanned.bytes();
                    if (checkFiles) {
                        for (String missing : expected.keySet()) {
                            if (!seen.contains(missing)) {
                                fileProblems.add("file " + missing + " is in the manifest but not in the archive");
                            }
                        }
                    }
                } catch (UnsafeArchiveException e) {
                    archiveProblem = e.getMessage();
                } catch (IOException e) {
                    archiveProblem = "unreadable archive: " + e.getMessage();
                }
            }
            in.transferTo(OutputStream.nullOutputStream()); // whatever the archive reader left, for the digest
        }
        String actual = Sha256.hex(sha);
        String problem = null;
        if (!actual.equalsIgnoreCase(m.sha256())) {
            problem = "sha256 mismatch: manifest " + Sha256.abbrev(m.sha256()) + ", stored " + Sha256.abbrev(actual);
        } else if (size[0] != m.sizeBytes()) {
            problem = "size mismatch: manifest " + m.sizeBytes() + " bytes, stored " + size[0];
        } else if (archiveProblem != null) {
            problem = archiveProblem;
        } else if (isArchive(m.kind()) && entries != m.entries()) {
            problem = "entry count mismatch: manifest " + m.entries() + ", archive " + entries;
        } else if (isArchive(m.kind()) && contentBytes != m.contentBytes()) {
            problem = "content size mismatch: manifest " + m.contentBytes() + " bytes, archive " + contentBytes;
        } else if (!fileProblems.isEmpty()) {
            problem = String.join("; ", fileProblems);
        }
        if (size[0] != m.sizeBytes() && problem != null && problem.startsWith("sha256")) {
            problem += " (size: manifest " + m.sizeBytes() + ", stored " + size[0] + ")";
        }
        return new Verified(new VerifyResult(key, problem == null, problem == null
                ? null
                : FailureMessages.bounded(problem), actual, size[0], entries), contentBytes);
    }

    private static void checkFile(String path, InputStream content, FileDigest expected, List<String> problems)
            throws IOException {
        if (expected == null) {
            problems.add("file " + path + " is in the archive but not in the manifest");
            return;
        }
        MessageDigest sha = Sha256.newDigest();
        long n = new DigestInputStream(content, sha).transferTo(OutputStream.nullOutputStream());
        String actual = Sha256.hex(sha);
        if (n != expected.size() || !actual.equalsIgnoreCase(expected.sha256())) {
            problems.add("file " + path + " differs: manifest " + expected.size() + " bytes " + Sha256.abbrev(
                    expected.sha256()) + ", archive " + n + " bytes " + Sha256.abbrev(actual));
        }
    }

    static boolean isArchive(BackupKind kind) {
        return kind.extension().equals("tar.gz");
    }

    private static InputStream counting(InputStream in, long[] count, String key, Heartbeat hb) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count[0]++;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    count[0] += n;
                    hb.beat(new BackupOperations.ReadProgress(key, count[0]));
                }
                return n;
            }
        };
    }
}
