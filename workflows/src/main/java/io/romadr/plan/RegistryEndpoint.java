package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A container registry speaking the OCI distribution API, e.g. {@code https://registry.company.com} or
 * {@code http://127.0.0.1:5000}. Credentials (basic, or exchanged for a bearer token) come from the worker's
 * environment variables named here, never from the plan.
 */
public record RegistryEndpoint(@JsonProperty(required = true) String url, String usernameEnv, String passwordEnv) {
    public RegistryEndpoint {
        InvalidFieldException.requireText(url, "url");
        InvalidFieldException.require(url.startsWith("http://") || url.startsWith("https://"), "url",
                "must be an http(s) URL, got \"" + url + "\"");
        InvalidFieldException.require((usernameEnv == null) == (passwordEnv == null), "usernameEnv",
                "usernameEnv and passwordEnv go together");
    }
}
