package io.romadr.activities.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The plaintext document inside an encrypted secrets backup. It only ever exists in the activity's memory; its
 * {@code toString} never shows values.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SecretsExport(int format, String plan, long createdAt, List<Entry> secrets) {
    static final int FORMAT = 1;

    /**
     * One secret: a Vault KV v2 path with its key/value map, or a Secrets Manager secret with a string or base64
     * binary value.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(String source, String mount, String path, Map<String, String> data, String name, String string,
            String binaryBase64) {

        static final String VAULT = "vault";
        static final String SECRETS_MANAGER = "secretsmanager";

        String label() {
            return VAULT.equals(source) ? vaultLabel(mount, path) : secretsManagerLabel(name);
        }

        /** How exports, manifests and the secrets watch name a Vault secret. */
        static String vaultLabel(String mount, String path) {
            return "vault:" + mount + "/" + path;
        }

        static String secretsManagerLabel(String name) {
            return "secretsmanager:" + name;
        }

        @Override
        public String toString() {
            return label() + " (value hidden)";
        }
    }

    @Override
    public String toString() {
        return "SecretsExport[plan=" + plan + ", " + secrets.size() + " secret(s), values hidden]";
    }
}
