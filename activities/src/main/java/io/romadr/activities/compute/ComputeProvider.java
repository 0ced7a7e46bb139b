package io.romadr.activities.compute;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * Where a lost site's replacement server comes from (Scenario 3): an EC2 instance, or a container on the local Docker
 * engine. Every operation is safe to repeat: provisioning is idempotent per {@link LaunchKey}, a command with an
 * idempotency key already sent is awaited rather than sent again, copies overwrite, terminate of a gone server is a
 * no-op. Errors name the operation and the server, never file contents or command environment values.
 */
public interface ComputeProvider extends AutoCloseable {
    /** "aws" or "docker": the value of the plan's {@code site.provider}. */
    String name();

    /** The server for {@code key}: the live one already made for it, or a new one. Does not wait for it. */
    Server provision(ServerSpec spec, LaunchKey key) throws IOException;

    /** The live server made for {@code key}, or null. */
    Server findByKey(LaunchKey key) throws IOException;

    /** Waits until the server runs and takes commands, calling {@code heartbeat} at least every 10 s. */
    Server awaitReady(String serverId, Duration timeout, Runnable heartbeat) throws IOException;

    /** Runs one command on the server and waits for it; a non-zero exit is a result, not an exception. */
    CommandResult run(String serverId, ServerCommand command, Runnable heartbeat) throws IOException;

    /** Extracts the tar stream into {@code directory} on the server (created if missing); files are overwritten. */
    void copyIn(String serverId, String directory, InputStream tar) throws IOException;

    /** Writes one file (e.g. the secrets env file) with the given POSIX mode; the content never reaches a log. */
    void writeFile(String serverId, String path, byte[] content, int mode) throws IOException;

    /** Reads one file from the server (at most {@code maxBytes}); a missing file is a {@link java.nio.file.NoSuchFileException}. */
    byte[] readFile(String serverId, String path, int maxBytes) throws IOException;

    /** The server as it is now, or null when it is gone. */
    Server describe(String serverId) throws IOException;

    /** Removes the server and what the provider made for it; true when something was removed, false when already gone. */
    boolean terminate(String serverId) throws IOException;

    @Override
    void close();
}
