package io.romadr.worker.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The worker host run in-process on an embedded Temporal server (or on a dev server a drill started): what the drills
 * use, so a drill exercises the same host (managed worker, health checks, metrics) that production runs. Ports are
 * free loopback ports; the webhooks have no credentials, so they refuse every request.
 */
public final class EmbeddedHost implements AutoCloseable {
    private final RomaDrApplication app;
    private final AutoCloseable server;

    private EmbeddedHost(RomaDrApplication app, AutoCloseable server) {
        this.app = app;
        this.server = server;
    }

    /** Starts the host with {@code plansDir}, an embedded Temporal on {@code temporalPort} (0: free), logs at WARN. */
    public static EmbeddedHost start(Path workDir, Path plansDir, String taskQueue, int temporalPort)
            throws Exception {
        return start(workDir, configYaml(plansDir, taskQueue, "embedded: true\n  embeddedPort: " + temporalPort),
                () -> {
                });
    }

    /**
     * Starts the host with {@code plansDir} on the Temporal server at {@code address} (a {@code temporal server
     * start-dev} a drill started, so its Web UI shows the drill), logs at WARN; {@code server} is closed after the
     * host, also when the host does not start.
     */
    public static EmbeddedHost startOn(Path workDir, Path plansDir, String taskQueue, String address,
            AutoCloseable server) throws Exception {
        try {
            return start(workDir, configYaml(plansDir, taskQueue, "address: \"" + address + "\""), server);
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    private static EmbeddedHost start(Path workDir, String configYaml, AutoCloseable server) throws Exception {
        Path config = workDir.resolve("embedded-host.yml");
        Files.writeString(config, configYaml);
        RomaDrApplication app = new RomaDrApplication() {
            @Override
            protected void onFatalError(Throwable t) {
                // Dropwizard would exit the JVM; an in-process host reports to its caller instead.
                throw new IllegalStateException("the embedded worker host did not start: " + t.getMessage(), t);
            }
        };
        app.run("server", config.toString());
        return new EmbeddedHost(app, server);
    }

    /** {@code server}: the temporal section's lines that say which server (indented after the first). */
    static String configYaml(Path plansDir, String taskQueue, String server) throws IOException {
        return """
                temporal:
                  %s
                  taskQueue: %s
                plansDir: %s
                server:
                  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  requestLog: {appenders: []}
                logging:
                  level: WARN
                  appenders: [{type: console, target: stderr}]
                  loggers:
                    "io.romadr.worker.host": ERROR
                    "io.temporal.internal.worker.HeartbeatManager": ERROR
                """.formatted(server, taskQueue, plansDir.toAbsolutePath());
    }

    public TemporalWorkerManaged temporal() {
        return app.temporal();
    }

    @Override
    public void close() throws Exception {
        try {
            app.stop();
        } finally {
            server.close();
        }
    }
}
