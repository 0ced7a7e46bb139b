package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One git remote: {@code git://}, {@code http(s)://}, {@code ssh://} / {@code user@host:path}, {@code file://} or a
 * local path. Credentials are never in the plan: {@code usernameEnv}/{@code passwordEnv} name environment variables
 * of the worker (HTTP basic / token), {@code sshKeyFile} and {@code knownHostsFile} are paths on the worker.
 * {@code region} (optional, a backup remote only) is where the remote is hosted: the backup remote in the plan's
 * failover region is the git replica (see docs/backups.md, "Replication to the failover region").
 */
public record GitRemote(
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) String url,
        String usernameEnv,
        String passwordEnv,
        String sshKeyFile,
        String knownHostsFile,
        String region) {

    public GitRemote {
        InvalidFieldException.requireText(name, "name");
        InvalidFieldException.require(name.matches("[A-Za-z0-9][A-Za-z0-9._-]*"), "name",
                "must be letters, digits, '.', '_' or '-', got \"" + name + "\"");
        InvalidFieldException.requireText(url, "url");
        // A password in the URL would sit in the plan and in every workflow history that loads it.
        InvalidFieldException.require(!url.matches("^\\w+://[^/@]*:[^/@]*@.*"), "url",
                "must not contain a password; name an environment variable in passwordEnv instead");
        InvalidFieldException.require(passwordEnv == null || usernameEnv != null || url.startsWith("http"),
                "usernameEnv", "is required with passwordEnv");
        InvalidFieldException.require(region == null || !region.isBlank(), "region", "must not be empty when given");
    }

    /** A remote without a region (plans and tests written before {@code region:}). */
    public GitRemote(String name, String url, String usernameEnv, String passwordEnv, String sshKeyFile,
            String knownHostsFile) {
        this(name, url, usernameEnv, passwordEnv, sshKeyFile, knownHostsFile, null);
    }

    /** For reports and logs: the URL without any user-info part. */
    public String displayUrl() {
        return url.replaceFirst("^(\\w+://)[^/@]+@", "$1");
    }
}
