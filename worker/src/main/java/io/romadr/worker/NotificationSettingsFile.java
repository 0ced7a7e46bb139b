package io.romadr.worker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.romadr.activities.notify.NotificationSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The plain worker's {@code --notifications} file: the same YAML as the worker host's {@code notifications:}. */
final class NotificationSettingsFile {
    private NotificationSettingsFile() {
    }

    static NotificationSettings read(Path file) {
        if (file == null || file.toString().isBlank()) {
            return NotificationSettings.NONE;
        }
        try {
            return new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(file.toFile(), NotificationSettings.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the notifications file " + file + ": " + e.getMessage(), e);
        }
    }
}
