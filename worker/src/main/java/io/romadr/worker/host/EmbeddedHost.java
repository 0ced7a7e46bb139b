package io.romadr.worker.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The worker host run in-process on an embedded Temporal server: what the drills use, so a drill exercises the
 * same host (managed worker, health checks, metrics) that production runs. Ports are free loopback ports; the
 * webhooks have no credentials, so they refuse every request.
 */
public final class EmbeddedHost implements AutoCloseable {
    private final RomaDrApplication app;

    private EmbeddedHost(RomaDrApplication app) {
        this.app = app;
    }

    /** Starts the host with {@code plansDir}, an embedded Temporal on {@code temporalPort} (0: free), logs at WARN. */
    public static EmbeddedHost start(Path workDir, Path plansDir, String taskQueue, int temporalPort)
            throws Exception {
        Path config = workDir.resolve("embedded-host.yml");
        Files.writeString(config, configYaml(plansDir, taskQueue, temporalPort));
        RomaDrApplication app = new RomaDrApplication() {
            @Override
            protected void onFatalError(Throwable t) {
                // Dropwizard would exit the JVM; an in-process host reports to its caller instead.
                throw new IllegalStateException("the embedded worker host did not start: " + t.getMessage(), t);
            }
        };
        app.run("server", config.toString());
        return new EmbeddedHost(app);
    }

    static String configYaml(Path plansDir, String taskQueue, int temporalPort) throws IOException {
        return """
                temporal:
                  embedded: true
                  embeddedPort: %d
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
                """.formatted(temporalPort, taskQueue, plansDir.toAbsolutePath());
    }

    public TemporalWorkerManaged temporal() {
        return app.temporal();
    }

    @Override
    public void close() throws Exception {
        app.stop();
    }
}
