package io.romadr.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The object-store layout: {@code <kind>/<plan>/<yyyyMMdd'T'HHmmss'Z'>-<id>.<ext>} with its manifest beside it at
 * {@code <same key>.manifest.json}. The manifest is written last, so a backup exists exactly when its manifest does.
 */
public final class BackupKeys {
    public static final String MANIFEST_SUFFIX = ".manifest.json";
    /**
     * A security incident's evidence: {@code evidence/<plan>/<incident id>/}, its manifest last. Kept from retention:
     * no backup kind lists it and nothing deletes under it.
     */
    public static final String EVIDENCE_PREFIX = "evidence/";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private BackupKeys() {
    }

    public static String prefix(BackupKind kind, String plan) {
        return kind.id() + "/" + plan + "/";
    }

    /** The object key for a backup made at {@code createdAt} (epoch ms) by the run whose short id is {@code id}. */
    public static String objectKey(BackupKind kind, String plan, long createdAt, String id) {
        return prefix(kind, plan) + STAMP.format(Instant.ofEpochMilli(createdAt)) + "-" + id + "." + kind.extension();
    }

    public static String manifestKey(String objectKey) {
        return objectKey + MANIFEST_SUFFIX;
    }

    public static boolean isManifest(String key) {
        return key.endsWith(MANIFEST_SUFFIX);
    }

    public static String objectKeyOf(String manifestKey) {
        return manifestKey.substring(0, manifestKey.length() - MANIFEST_SUFFIX.length());
    }

    /** The prefix of one incident's evidence: {@code evidence/<plan>/<incident id>/}. */
    public static String evidencePrefix(String plan, String incidentId) {
        return EVIDENCE_PREFIX + plan + "/" + incidentId + "/";
    }

    /** True for a key under {@link #EVIDENCE_PREFIX}, which retention and every delete leave alone. */
    public static boolean isEvidence(String key) {
        return key != null && key.startsWith(EVIDENCE_PREFIX);
    }
}
