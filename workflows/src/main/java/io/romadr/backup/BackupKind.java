package io.romadr.backup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.BackupStore;
import java.util.Locale;

/** The backup kinds of the seed that roma-dr stores in the object store. */
public enum BackupKind {
    STATE("tar.gz"), ARTIFACTS("tar.gz"), SECRETS("pgp");

    private final String extension;

    BackupKind(String extension) {
        this.extension = extension;
    }

    /** File extension of the stored object. */
    public String extension() {
        return extension;
    }

    /** The store of {@code backup} that holds this kind: secrets may have their own ({@code backup.secrets.store}). */
    public BackupStore storeIn(BackupSpec backup) {
        return this == SECRETS ? backup.secretsStore() : backup.store();
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static BackupKind of(String id) {
        for (BackupKind k : values()) {
            if (k.id().equalsIgnoreCase(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown backup kind \"" + id + "\" (state, artifacts or secrets)");
    }
}
