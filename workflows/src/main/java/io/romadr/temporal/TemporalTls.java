package io.romadr.temporal;

import java.nio.file.Path;

/**
 * TLS to the Temporal frontend. {@code enabled} null means "on when anything below is set, or an API key is used"
 * (as the Temporal CLI does); {@code caFile} null trusts the JDK's CAs (Temporal Cloud); {@code certFile} and
 * {@code keyFile} (PEM; the key PKCS#8 or PKCS#1 RSA/EC, unencrypted) are the client certificate of mutual TLS;
 * {@code serverName} overrides the name checked in the server's certificate (and sent as SNI).
 */
public record TemporalTls(Boolean enabled, Path caFile, Path certFile, Path keyFile, String serverName) {
    public static final TemporalTls NONE = new TemporalTls(null, null, null, null, null);

    /** How each setting is spelled in the worker host's YAML, on the command line and in the environment. */
    static final String ENABLED = "TLS (temporal.tls.enabled, --tls, TEMPORAL_TLS)";
    static final String CA = "the TLS CA certificate (temporal.tls.caFile, --tls-ca, TEMPORAL_TLS_CA)";
    static final String CERT = "the TLS client certificate (temporal.tls.certFile, --tls-cert, TEMPORAL_TLS_CERT)";
    static final String KEY = "the TLS client key (temporal.tls.keyFile, --tls-key, TEMPORAL_TLS_KEY)";

    public TemporalTls {
        serverName = serverName == null || serverName.isBlank() ? null : serverName.trim();
        if ((certFile == null) != (keyFile == null)) {
            throw new TemporalConfigException("mutual TLS needs both " + CERT + " and " + KEY + "; only "
                    + (certFile != null ? "the certificate (" + certFile + ")" : "the key (" + keyFile + ")")
                    + " is set");
        }
        if (Boolean.FALSE.equals(enabled) && (caFile != null || certFile != null || serverName != null)) {
            throw new TemporalConfigException(ENABLED + " is false but TLS files or a server name are set; "
                    + "remove them or turn TLS on");
        }
    }

    /**
     * {@code TEMPORAL_TLS}, {@code --tls=...} or {@code tls.enabled} as written: true/false (also 1/0, yes/no,
     * on/off); empty is "not set" (an unset {@code ${TEMPORAL_TLS:-}} in a YAML or a compose file).
     */
    public static Boolean parseEnabled(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new TemporalConfigException(ENABLED + ": expected true or false, got \"" + value.trim()
                    + "\"");
        };
    }

    /** Whether the connection uses TLS; an API key turns it on unless TLS is explicitly off. */
    public boolean on(boolean apiKey) {
        if (enabled != null) {
            return enabled;
        }
        return caFile != null || certFile != null || serverName != null || apiKey;
    }

    public boolean mutual() {
        return certFile != null;
    }
}
