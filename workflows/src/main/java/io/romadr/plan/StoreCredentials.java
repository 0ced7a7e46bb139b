package io.romadr.plan;

import java.util.regex.Pattern;

/**
 * The credentials a backup store of its own is opened with (e.g. the separate secrets bucket). The plan names where
 * the worker finds them, never the credentials: an AWS shared-config {@code profile}, or the names of the worker's
 * environment variables holding the access key id and secret (and, for temporary credentials, the session token).
 * A store without {@code credentials:} uses the worker's default AWS chain.
 */
public record StoreCredentials(String profile, String accessKeyIdEnv, String secretAccessKeyEnv,
        String sessionTokenEnv) {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public StoreCredentials {
        boolean byProfile = profile != null && !profile.isBlank();
        boolean byEnv = accessKeyIdEnv != null || secretAccessKeyEnv != null || sessionTokenEnv != null;
        InvalidFieldException.require(byProfile != byEnv, byProfile ? "profile" : "accessKeyIdEnv",
                "name either profile: NAME or accessKeyIdEnv: + secretAccessKeyEnv: (names of the worker's"
                        + " environment variables), not both and not neither");
        if (byEnv) {
            requireEnvName(accessKeyIdEnv, "accessKeyIdEnv");
            requireEnvName(secretAccessKeyEnv, "secretAccessKeyEnv");
            if (sessionTokenEnv != null) {
                requireEnvName(sessionTokenEnv, "sessionTokenEnv");
            }
        }
    }

    private static void requireEnvName(String name, String field) {
        InvalidFieldException.require(name != null && ENV_NAME.matcher(name).matches(), field,
                "must be the NAME of an environment variable of the worker (letters, digits, _); the plan never"
                        + " holds the credential itself (the value is not repeated here in case it is one)");
    }
}
