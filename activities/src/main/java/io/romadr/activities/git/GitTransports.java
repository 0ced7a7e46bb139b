package io.romadr.activities.git;

import io.romadr.plan.GitRemote;
import io.temporal.failure.ApplicationFailure;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.eclipse.jgit.errors.NotSupportedException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * Opens a JGit {@link Transport} to a plan's {@link GitRemote} with its credentials: HTTP basic / token from the
 * environment variables the remote names (read at call time, so a rotated secret is picked up), SSH with the key
 * and known_hosts files the remote names. Local paths and file:// URLs need nothing.
 */
final class GitTransports {
    /** Username sent with a token when the remote names only {@code passwordEnv} (most servers ignore it). */
    static final String TOKEN_USERNAME = "x-access-token";
    private static final int TIMEOUT_SECONDS = 120;

    private final Function<String, String> env;

    GitTransports(Function<String, String> env) {
        this.env = env;
    }

    /** An open transport to {@code remote}; the caller closes it (which also closes an SSH session factory). */
    OpenTransport open(Repository local, GitRemote remote) throws TransportException {
        URIish uri;
        try {
            uri = new URIish(remote.url());
        } catch (URISyntaxException e) {
            throw ApplicationFailure.newNonRetryableFailure("remote " + remote.name() + " has an invalid url "
                    + remote.displayUrl() + ": " + e.getReason(), "InvalidGitRemote");
        }
        Transport transport;
        try {
            transport = Transport.open(local, uri);
        } catch (NotSupportedException e) {
            throw ApplicationFailure.newNonRetryableFailure("remote " + remote.name() + " (" + remote.displayUrl()
                    + "): unsupported transport: " + e.getMessage(), "InvalidGitRemote");
        }
        transport.setTimeout(TIMEOUT_SECONDS);
        String password = secret(remote.name(), remote.passwordEnv());
        if (password != null || remote.usernameEnv() != null) {
            String username = remote.usernameEnv() == null
                    ? TOKEN_USERNAME
                    : secret(remote.name(),
                            remote.usernameEnv());
            transport.setCredentialsProvider(new UsernamePasswordCredentialsProvider(username,
                    password == null ? "" : password));
        }
        SshdSessionFactory ssh = null;
        if (transport instanceof SshTransport sshTransport
                && (remote.sshKeyFile() != null || remote.knownHostsFile() != null)) {
            ssh = sshSessions(remote);
            sshTransport.setSshSessionFactory(ssh);
        }
        return new OpenTransport(transport, ssh);
    }

    /** The value of environment variable {@code name}, or null when the remote names none. */
    private String secret(String remoteName, String name) {
        if (name == null) {
            return null;
        }
        String value = env.apply(name);
        if (value == null || value.isEmpty()) {
            throw ApplicationFailure.newNonRetryableFailure("remote " + remoteName + ": environment variable "
                    + name + " is not set on the worker", "MissingGitCredential");
        }
        return value;
    }

    /** Only the remote's key and known_hosts, not the worker user's ~/.ssh, so the plan says exactly what is used. */
    private static SshdSessionFactory sshSessions(GitRemote remote) {
        File home = new File(System.getProperty("user.home"));
        SshdSessionFactoryBuilder builder = new SshdSessionFactoryBuilder()
                .setHomeDirectory(home)
                .setSshDirectory(new File(home, ".ssh"))
                .setPreferredAuthentications("publickey");
        if (remote.sshKeyFile() != null) {
            Path key = existing(remote, "sshKeyFile", remote.sshKeyFile());
            builder.setDefaultIdentities(dir -> List.of(key));
        }
        if (remote.knownHostsFile() != null) {
            Path knownHosts = existing(remote, "knownHostsFile", remote.knownHostsFile());
            builder.setDefaultKnownHostsFiles(dir -> List.of(knownHosts));
        }
        return builder.build(null);
    }

    private static Path existing(GitRemote remote, String field, String file) {
        Path path = Path.of(file);
        if (!Files.isReadable(path)) {
            throw ApplicationFailure.newNonRetryableFailure("remote " + remote.name() + ": " + field + " " + file
                    + " does not exist or is not readable on the worker", "MissingGitCredential");
        }
        return path;
    }

    /** A transport and the SSH session factory made for it (null for other protocols); closes both. */
    record OpenTransport(Transport transport, SshdSessionFactory ssh) implements AutoCloseable {
        @Override
        public void close() {
            transport.close();
            if (ssh != null) {
                ssh.close();
            }
        }
    }
}
