package io.romadr.temporal;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Where a Temporal frontend is and how to talk to it: address, namespace, TLS (server or mutual) and an API key.
 * The CLI, the bare worker and the worker host each build one from their settings, and
 * {@link #serviceStubsOptions()} is the one place that turns it into a gRPC connection's options. Nothing here
 * shows the API key.
 */
public record TemporalEndpoint(String address, String namespace, TemporalTls tls, TemporalApiKey apiKey) {

    public TemporalEndpoint {
        if (address == null || address.isBlank()) {
            throw new TemporalConfigException("the Temporal address (temporal.address, --address, TEMPORAL_ADDRESS)"
                    + " is empty");
        }
        address = address.trim();
        namespace = namespace == null || namespace.isBlank() ? "default" : namespace.trim();
        tls = tls == null ? TemporalTls.NONE : tls;
    }

    /** No TLS, no key: a local server. */
    public static TemporalEndpoint plain(String address, String namespace) {
        return new TemporalEndpoint(address, namespace, TemporalTls.NONE, null);
    }

    public boolean tlsOn() {
        return tls.on(apiKey != null);
    }

    /**
     * The stubs' options: target, TLS context (files read and checked now: a bad file is a
     * {@link TemporalConfigException} before any channel exists), server name, API key header. Callers add their
     * own timeouts and metrics.
     */
    public WorkflowServiceStubsOptions.Builder serviceStubsOptions() {
        WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder().setTarget(address);
        boolean on = tlsOn();
        // explicit: the SDK would otherwise turn TLS on by itself whenever an API key is set
        options.setEnableHttps(on);
        if (on) {
            options.setSslContext(sslContext());
            if (tls.serverName() != null) {
                String name = tls.serverName();
                options.setChannelInitializer(channel -> channel.overrideAuthority(name));
            }
        }
        if (apiKey != null) {
            TemporalApiKey key = apiKey;
            options.addApiKey(key::value);
        }
        return options;
    }

    private SslContext sslContext() {
        SslContextBuilder builder = GrpcSslContexts.forClient();
        if (tls.caFile() != null) {
            builder.trustManager(PemFiles.certificates(tls.caFile(), TemporalTls.CA)
                    .toArray(X509Certificate[]::new));
        }
        if (tls.mutual()) {
            List<X509Certificate> chain = PemFiles.certificates(tls.certFile(), TemporalTls.CERT);
            PrivateKey key = PemFiles.privateKey(tls.keyFile(), TemporalTls.KEY);
            if (!belongs(key, chain.get(0))) {
                throw new TemporalConfigException(TemporalTls.KEY + ": the key in " + tls.keyFile() + " ("
                        + key.getAlgorithm() + ") does not belong to the certificate in " + tls.certFile());
            }
            builder.keyManager(key, chain.toArray(X509Certificate[]::new));
        }
        try {
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new TemporalConfigException("TLS to Temporal at " + address + " cannot be set up from "
                    + files() + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The same algorithm, and for RSA the same modulus (a key from another pair fails every handshake). */
    private static boolean belongs(PrivateKey key, X509Certificate cert) {
        if (!cert.getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            return false;
        }
        if (key instanceof java.security.interfaces.RSAPrivateKey rsa
                && cert.getPublicKey() instanceof java.security.interfaces.RSAPublicKey pub) {
            return rsa.getModulus().equals(pub.getModulus());
        }
        return true;
    }

    private String files() {
        List<String> files = new ArrayList<>();
        if (tls.caFile() != null) {
            files.add("CA " + tls.caFile());
        }
        if (tls.mutual()) {
            files.add("client certificate " + tls.certFile() + " and key " + tls.keyFile());
        }
        return files.isEmpty() ? "the JDK's CAs" : String.join(", ", files);
    }

    /** For logs: e.g. {@code x.tmprl.cloud:7233 namespace x (TLS: the JDK's CAs; API key from file /k)}. */
    public String describe() {
        StringBuilder s = new StringBuilder(address).append(" namespace ").append(namespace).append(" (");
        if (tlsOn()) {
            s.append("TLS: ").append(files());
            if (tls.serverName() != null) {
                s.append(", server name ").append(tls.serverName());
            }
        } else {
            s.append("no TLS");
        }
        if (apiKey != null) {
            s.append("; API key from ").append(apiKey.source());
        }
        return s.append(')').toString();
    }

    @Override
    public String toString() {
        return "TemporalEndpoint[" + describe() + "]";
    }
}
