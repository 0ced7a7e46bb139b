package io.romadr.backup;

import java.util.List;

/** Names of the secrets written back, and of those already equal (left alone). Never values. */
public record SecretsRestoreResult(String objectKey, List<String> written, List<String> unchanged) {
}
