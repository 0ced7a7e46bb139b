package io.romadr.worker;

import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The embedded default's Temporal: the SDK's in-memory test server, bound to 127.0.0.1 only, with time running
 * as on a real server (no time skipping). Workflows are lost when the process exits; the {@code temporal} CLI can
 * attach to {@link #address()} while it runs.
 */
public final class EmbeddedTemporal implements AutoCloseable {
    private final TestServicesStarter services;
    private final Server server;
    private final int port;

    private EmbeddedTemporal(TestServicesStarter services, Server server) {
        this.services = services;
        this.server = server;
        this.port = server.getPort();
    }

    /** Starts on {@code port}, or a free port when 0. */
    public static EmbeddedTemporal start(int port) {
        TestServicesStarter services = new TestServicesStarter(true, 0);
        NettyServerBuilder builder = NettyServerBuilder.forAddress(
                new InetSocketAddress("127.0.0.1", port), InsecureServerCredentials.create());
        HealthStatusManager health = new HealthStatusManager();
        for (BindableService s : services.getServices()) {
            builder.addService(s);
            health.setStatus(s.bindService().getServiceDescriptor().getName(),
                    HealthCheckResponse.ServingStatus.SERVING);
        }
        builder.addService(health.getHealthService());
        try {
            return new EmbeddedTemporal(services, builder.build().start());
        } catch (IOException e) {
            services.close();
            throw new UncheckedIOException("cannot start the embedded Temporal server on 127.0.0.1:" + port, e);
        }
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        services.close();
    }
}
