package io.romadr.cli;

import io.romadr.temporal.TemporalApiKey;
import io.romadr.temporal.TemporalEndpoint;
import io.romadr.temporal.TemporalTls;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * TLS and the API key to Temporal (a picocli mixin of the CLI's {@link TemporalOptions} and of the worker jar's
 * {@code roma-dr worker}), with the Temporal CLI's environment names. The API key itself only from the environment ({@code TEMPORAL_API_KEY}) or a file:
 * a command-line value would show in {@code ps}. See docs/temporal-connection.md.
 */
public final class TemporalTlsOptions {
    @Option(names = "--tls", arity = "0..1", fallbackValue = "true", defaultValue = "${env:TEMPORAL_TLS}",
            paramLabel = "BOOL",
            description = "TLS to Temporal (env TEMPORAL_TLS; default: on when a TLS file, a server name or an API "
                    + "key is set)")
    String enabled;

    @Option(names = "--tls-ca", defaultValue = "${env:TEMPORAL_TLS_CA}", paramLabel = "FILE",
            description = "PEM CA certificate(s) to trust (env TEMPORAL_TLS_CA; default: the JDK's CAs)")
    Path caFile;

    @Option(names = "--tls-cert", defaultValue = "${env:TEMPORAL_TLS_CERT}", paramLabel = "FILE",
            description = "PEM client certificate for mutual TLS (env TEMPORAL_TLS_CERT)")
    Path certFile;

    @Option(names = "--tls-key", defaultValue = "${env:TEMPORAL_TLS_KEY}", paramLabel = "FILE",
            description = "PEM client key, PKCS#8 or PKCS#1 (env TEMPORAL_TLS_KEY)")
    Path keyFile;

    @Option(names = "--tls-server-name", defaultValue = "${env:TEMPORAL_TLS_SERVER_NAME}", paramLabel = "NAME",
            description = "Name to check in the server's certificate (env TEMPORAL_TLS_SERVER_NAME)")
    String serverName;

    @Option(names = "--api-key-file", defaultValue = "${env:TEMPORAL_API_KEY_FILE}", paramLabel = "FILE",
            description = "File holding the API key (env TEMPORAL_API_KEY_FILE; or the key in TEMPORAL_API_KEY)")
    Path apiKeyFile;

    public TemporalEndpoint endpoint(String address, String namespace, Map<String, String> environment) {
        return new TemporalEndpoint(address, namespace,
                new TemporalTls(TemporalTls.parseEnabled(enabled), caFile, certFile, keyFile, serverName),
                TemporalApiKey.fromFileOrEnvironment(apiKeyFile, environment));
    }
}
