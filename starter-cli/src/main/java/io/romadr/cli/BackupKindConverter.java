package io.romadr.cli;

import io.romadr.backup.BackupKind;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** "state", "artifacts" or "secrets", any case. */
final class BackupKindConverter implements ITypeConverter<BackupKind> {
    @Override
    public BackupKind convert(String value) {
        try {
            return BackupKind.of(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("expected state, artifacts or secrets, got \"" + value + "\"");
        }
    }
}
