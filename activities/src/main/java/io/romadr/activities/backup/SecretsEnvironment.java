package io.romadr.activities.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A secrets export as environment variables, for the env file a rebuilt server starts its services with (seed,
 * Scenario 3: {@code gpg --decrypt secrets.json.gpg > .env}): every key of a Vault secret, every field of a Secrets
 * Manager secret holding a JSON object, else the secret's name. Names are made valid ({@code [A-Z0-9_]}, not starting
 * with a digit); a later secret with the same variable wins. Values never appear in an exception.
 */
public final class SecretsEnvironment {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SecretsEnvironment() {
    }

    static Map<String, String> of(SecretsExport export) {
        Map<String, String> vars = new TreeMap<>();
        for (SecretsExport.Entry e : export.secrets()) {
            if (e.data() != null) {
                e.data().forEach((k, v) -> vars.put(name(k), v));
            } else if (e.string() != null) {
                JsonNode parsed = parseObject(e.string());
                if (parsed != null) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = parsed.fields(); it.hasNext();) {
                        Map.Entry<String, JsonNode> f = it.next();
                        vars.put(name(f.getKey()), f.getValue().isTextual()
                                ? f.getValue().asText()
                                : f.getValue().toString());
                    }
                } else {
                    vars.put(name(e.name()), e.string());
                }
            }
        }
        return vars;
    }

    /** {@code NAME=value} lines as Docker's {@code --env-file} reads them: no quoting, so no newlines in values. */
    public static byte[] render(Map<String, String> vars) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, String> v : vars.entrySet()) {
            if (v.getValue().indexOf('\n') >= 0 || v.getValue().indexOf('\r') >= 0) {
                throw new IllegalArgumentException("secret " + v.getKey() + " has a line break in its value, which an "
                        + "env file cannot hold");
            }
            out.writeBytes((v.getKey() + "=" + v.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** Parses an env file back (the docker provider starts containers with it). */
    public static Map<String, String> parse(byte[] envFile) {
        Map<String, String> vars = new TreeMap<>();
        for (String line : new String(envFile, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                vars.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return vars;
    }

    static String name(String key) {
        String n = key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
        return n.isEmpty() || Character.isDigit(n.charAt(0)) ? "_" + n : n;
    }

    private static JsonNode parseObject(String s) {
        try {
            JsonNode n = JSON.readTree(s);
            return n != null && n.isObject() ? n : null;
        } catch (Exception notJson) {
            return null;
        }
    }
}
