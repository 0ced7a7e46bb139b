package io.romadr.scenario.siteloss;

import java.util.List;

/** Which backup was decrypted, the env file written and the variable names in it (never values). */
public record SecretsInstallResult(String objectKey, String envFile, List<String> variables) {
    public SecretsInstallResult {
        variables = variables == null ? List.of() : List.copyOf(variables);
    }
}
