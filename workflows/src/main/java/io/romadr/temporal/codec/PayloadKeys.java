package io.romadr.temporal.codec;

import io.romadr.temporal.TemporalConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys that encrypt roma-dr's Temporal payloads: one line per key, {@code <key-id> <base64 of 32 bytes>},
 * {@code #} comments. The first key encrypts; every key listed decrypts, so a rotation adds the new key on top and
 * keeps the old ones below until no history needs them. The keys come from the file named by
 * {@value #FILE_ENV} (a mounted secret) or else the text of {@value #ENV}; the same for the worker, the worker host
 * and the CLI. Key material never leaves this class in text: errors name the source, the line and the key id only.
 */
public final class PayloadKeys {
    public static final String FILE_ENV = "ROMA_DR_PAYLOAD_KEYS_FILE";
    public static final String ENV = "ROMA_DR_PAYLOAD_KEYS";
    static final int KEY_BYTES = 32;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final String source;
    private final String currentId;
    private final Map<String, SecretKey> keys;

    private PayloadKeys(String source, String currentId, Map<String, SecretKey> keys) {
        this.source = source;
        this.currentId = currentId;
        this.keys = Collections.unmodifiableMap(keys);
    }

    /**
     * The keys named by the environment: the file of {@value #FILE_ENV}, else the text of {@value #ENV}; null when
     * neither is set (payloads are then written in clear, as Temporal does by default).
     */
    public static PayloadKeys fromEnvironment(Map<String, String> environment) {
        String file = environment.get(FILE_ENV);
        if (file != null && !file.isBlank()) {
            return fromFile(Path.of(file.strip()));
        }
        String text = environment.get(ENV);
        if (text == null || text.isBlank()) {
            return null;
        }
        // one line per key; in an environment variable ';' may stand for the line break
        return parse(text.replace(';', '\n'), "environment " + ENV);
    }

    public static PayloadKeys fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TemporalConfigException("the payload keys (" + FILE_ENV + "): cannot read the file " + file
                    + " (" + e.getClass().getSimpleName() + ")");
        }
        return parse(text, "file " + file);
    }

    /** The keys in {@code text}; {@code source} names where it came from in every error ("file /run/keys"). */
    public static PayloadKeys parse(String text, String source) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String current = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "the payload keys (" + source + ") line " + (i + 1) + ": ";
            String[] fields = line.split("\\s+");
            if (fields.length != 2) {
                throw new TemporalConfigException(where + "expected \"<key-id> <base64 key>\", found "
                        + fields.length + " field(s)");
            }
            String id = fields[0];
            if (!KEY_ID.matcher(id).matches()) {
                throw new TemporalConfigException(where + "the key id must be letters, digits, '.', '_' or '-' (at"
                        + " most 64), starting with a letter or digit");
            }
            if (keys.containsKey(id)) {
                throw new TemporalConfigException(where + "the key id " + id + " is listed twice");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(fields[1]);
            } catch (IllegalArgumentException e) {
                throw new TemporalConfigException(where + "the key of " + id + " is not base64");
            }
            if (key.length != KEY_BYTES) {
                throw new TemporalConfigException(where + "the key of " + id + " is " + key.length
                        + " bytes; AES-256 needs " + KEY_BYTES + " (make one with: roma-dr keys generate)");
            }
            keys.put(id, new SecretKeySpec(key, "AES"));
            if (current == null) {
                current = id;
            }
        }
        if (current == null) {
            throw new TemporalConfigException("the payload keys (" + source + "): no key; one line per key,"
                    + " \"<key-id> <base64 of 32 random bytes>\", the first one encrypts");
        }
        return new PayloadKeys(source, current, keys);
    }

    /** A new key line for a keys file: {@code <id> <base64 of 32 random bytes>}. */
    public static String generateLine(String id) {
        if (!KEY_ID.matcher(id).matches()) {
            throw new TemporalConfigException("the key id must be letters, digits, '.', '_' or '-' (at most 64),"
                    + " starting with a letter or digit: " + id);
        }
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return id + " " + Base64.getEncoder().encodeToString(key);
    }

    /** The key that encrypts new payloads. */
    public String currentId() {
        return currentId;
    }

    SecretKey current() {
        return keys.get(currentId);
    }

    /** The key with this id, or null. */
    SecretKey key(String id) {
        return keys.get(id);
    }

    /** Every key id, the encrypting one first. */
    public Set<String> ids() {
        return keys.keySet();
    }

    /** Where the keys came from, e.g. {@code file /run/secrets/roma-dr/payload-keys}. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "PayloadKeys[" + source + ", encrypting with " + currentId + ", " + keys.size() + " key(s)]";
    }
}
