package io.romadr.temporal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Locale;

/**
 * One line that says why talking to Temporal failed and what to set, for the errors people hit when connecting:
 * nothing listening, TLS on one side only, an untrusted CA, a wrong server name, a missing client certificate, a
 * refused API key. It quotes the server's and the TLS stack's messages, never a credential.
 */
public final class TemporalFailures {
    private TemporalFailures() {
    }

    public static String explain(TemporalEndpoint endpoint, Throwable failure) {
        String where = "Temporal at " + endpoint.address();
        StatusRuntimeException status = find(failure, StatusRuntimeException.class);
        Status.Code code = status == null ? null : status.getStatus().getCode();
        if (code == Status.Code.PERMISSION_DENIED || code == Status.Code.UNAUTHENTICATED) {
            String check = endpoint.apiKey() != null
                    ? "check the API key (from " + endpoint.apiKey().source() + ") and that it grants namespace "
                            + endpoint.namespace()
                    : endpoint.tls().mutual()
                            ? "check that the client certificate " + endpoint.tls().certFile()
                                    + " grants namespace " + endpoint.namespace()
                            : "no API key was given: set --api-key-file (TEMPORAL_API_KEY_FILE, temporal.apiKey) "
                                    + "or TEMPORAL_API_KEY";
            return where + " refused the request: " + (code == Status.Code.UNAUTHENTICATED
                    ? "unauthenticated"
                    : "permission denied") + " (" + status.getStatus().getDescription() + "); " + check;
        }
        Throwable tls = tlsFailure(failure);
        if (tls != null) {
            // the TLS engine's own message is generic ("General OpenSslEngine problem"); the cause says why
            Throwable root = tls;
            StringBuilder all = new StringBuilder();
            for (Throwable t = tls; t != null && t.getCause() != t; t = t.getCause()) {
                root = t;
                all.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append('\n');
            }
            return "TLS handshake with " + where + " failed: " + root.getMessage() + hint(endpoint, all.toString());
        }
        if (find(failure, java.net.ConnectException.class) != null) { // nothing listens there
            return "cannot reach " + where + " (is the server running? set --address or TEMPORAL_ADDRESS)";
        }
        String detail = status != null
                ? status.getStatus().getCode() + ": " + status.getStatus().getDescription()
                : failure.getMessage();
        if (endpoint.tlsOn()) {
            return "cannot reach " + where + " over TLS (" + detail + ")";
        }
        return "cannot reach " + where + " (" + detail + "); if the server requires TLS, turn TLS on (--tls, "
                + "TEMPORAL_TLS=true, temporal.tls.enabled: true)";
    }

    private static String hint(TemporalEndpoint endpoint, String messages) {
        String m = messages.toLowerCase(Locale.ROOT);
        if (m.contains("notsslrecordexception") || m.contains("not an ssl/tls record")) {
            return "; the server does not speak TLS: turn TLS off or point at its TLS port";
        }
        if (m.contains("certificate_required") || m.contains("bad_certificate") || m.contains("certificate required")) {
            return endpoint.tls().mutual()
                    ? "; the server refused the client certificate " + endpoint.tls().certFile()
                            + " (is it signed by a CA the server trusts for clients?)"
                    : "; the server requires a client certificate (mutual TLS): set --tls-cert and --tls-key "
                            + "(TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY; temporal.tls.certFile, temporal.tls.keyFile)";
        }
        if (m.contains("pkix") || m.contains("unable to find valid certification path")) {
            return "; the server's certificate is not signed by a trusted CA: set --tls-ca (TEMPORAL_TLS_CA, "
                    + "temporal.tls.caFile) to the CA that signed it";
        }
        if (m.contains("subject alternative") || m.contains("no name matching") || m.contains("hostname")) {
            String name = endpoint.tls().serverName() != null
                    ? endpoint.tls().serverName()
                    : endpoint.address().replaceFirst(":\\d+$", "");
            return "; the server's certificate does not name " + name + ": set --tls-server-name "
                    + "(TEMPORAL_TLS_SERVER_NAME, temporal.tls.serverName) to a name it holds";
        }
        return "";
    }

    private static Throwable tlsFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String name = t.getClass().getName();
            if (t instanceof javax.net.ssl.SSLException || name.endsWith("NotSslRecordException")
                    || t instanceof java.security.cert.CertificateException) {
                return t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
