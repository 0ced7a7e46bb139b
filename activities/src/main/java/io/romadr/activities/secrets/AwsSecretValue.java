package io.romadr.activities.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * One secret held in AWS Secrets Manager: its name and either a string or a binary value. {@link #toString()} shows
 * the name and kind only, so a value never reaches a log line or an exception message by accident.
 */
public record AwsSecretValue(String name, String string, byte[] bytes) {

    public AwsSecretValue {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("secret name must not be blank");
        }
        if ((string == null) == (bytes == null)) {
            throw new IllegalArgumentException(
                    "secret \"" + name + "\" needs exactly one of a string or a binary value");
        }
        bytes = bytes == null ? null : bytes.clone();
    }

    public static AwsSecretValue ofString(String name, String value) {
        return new AwsSecretValue(name, value, null);
    }

    public static AwsSecretValue ofBytes(String name, byte[] value) {
        return new AwsSecretValue(name, null, value);
    }

    public boolean isBinary() {
        return bytes != null;
    }

    /** A copy: the record stays immutable. */
    @Override
    public byte[] bytes() {
        return bytes == null ? null : bytes.clone();
    }

    /** Same name, same kind, same value (constant-time compare, the values are secrets). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AwsSecretValue other) || !name.equals(other.name) || isBinary() != other.isBinary()) {
            return false;
        }
        return isBinary()
                ? MessageDigest.isEqual(bytes, other.bytes)
                : MessageDigest.isEqual(string.getBytes(StandardCharsets.UTF_8),
                        other.string.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        // Name only: a hash of the value would leak information about it.
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "AwsSecretValue[name=" + name + ", " + (isBinary() ? "binary, " + bytes.length + " bytes" : "string")
                + ", value=<redacted>]";
    }
}
