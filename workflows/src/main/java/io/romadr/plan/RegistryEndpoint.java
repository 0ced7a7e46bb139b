package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A container registry speaking the OCI distribution API, e.g. {@code https://registry.company.com} or
 * {@code http://127.0.0.1:5000}. Credentials (basic, or exchanged for a bearer token) come from the worker's
 * environment variables named here, never from the plan. {@code region} (optional, the backup registry only) is
 * where the registry is hosted: a backup registry in the plan's failover region is the image replica (see
 * docs/backups.md, "Replication to the failover region").
 */
public record RegistryEndpoint(@JsonProperty(required = true) String url, String usernameEnv, String passwordEnv,
        String region) {
    public RegistryEndpoint {
        InvalidFieldException.requireText(url, "url");
        InvalidFieldException.require(url.startsWith("http://") || url.startsWith("https://"), "url",
                "must be an http(s) URL, got \"" + url + "\"");
        InvalidFieldException.require((usernameEnv == null) == (passwordEnv == null), "usernameEnv",
                "usernameEnv and passwordEnv go together");
        InvalidFieldException.require(region == null || !region.isBlank(), "region", "must not be empty when given");
    }

    /** A registry without a region (plans and tests written before {@code region:}). */
    public RegistryEndpoint(String url, String usernameEnv, String passwordEnv) {
        this(url, usernameEnv, passwordEnv, null);
    }
}
