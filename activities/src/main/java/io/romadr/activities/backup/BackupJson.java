package io.romadr.activities.backup;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.romadr.backup.BackupManifest;
import java.io.IOException;

/** Manifests as pretty JSON; unknown fields are ignored so an older worker still reads a newer manifest. */
final class BackupJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private BackupJson() {
    }

    static byte[] write(BackupManifest manifest) throws IOException {
        return MAPPER.writeValueAsBytes(manifest);
    }

    static BackupManifest read(byte[] json) throws IOException {
        BackupManifest m = MAPPER.readValue(json, BackupManifest.class);
        if (m.format() != BackupManifest.FORMAT || m.objectKey() == null || m.sha256() == null || m.kind() == null) {
            throw new IOException("not a format " + BackupManifest.FORMAT + " manifest (format " + m.format()
                    + ", objectKey " + m.objectKey() + ")");
        }
        return m;
    }
}
