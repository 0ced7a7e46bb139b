package io.romadr.worker.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropwizard.testing.DropwizardTestSupport;
import io.romadr.worker.host.RomaDrApplication;
import io.romadr.worker.host.RomaDrConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker host's {@code temporal:} connection settings: a bad one stops start-up naming the setting and file. */
class HostConnectionSettingsTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingCertificateFileStopsStartUpWithItsPath() throws Exception {
        Path missing = tmp.resolve("secrets/temporal-tls/ca.crt");
        String message = failedStart("""
                  tls:
                    caFile: "%s"
                """.formatted(missing));
        assertTrue(message.contains("the TLS CA certificate (temporal.tls.caFile, --tls-ca, TEMPORAL_TLS_CA): "
                + "cannot read the file " + missing), message);
    }

    @Test
    void halfAClientCertificateStopsStartUp() throws Exception {
        String message = failedStart("""
                  tls:
                    certFile: "%s"
                """.formatted(tmp.resolve("tls.crt")));
        assertTrue(message.contains("mutual TLS needs both"), message);
    }

    @Test
    void aNamedApiKeyFileThatIsEmptyStopsStartUp() throws Exception {
        Path key = Files.writeString(tmp.resolve("api-key"), "\n");
        String message = failedStart("""
                  apiKey: { file: "%s" }
                """.formatted(key));
        assertTrue(message.contains("the file " + key + " is empty"), message);
    }

    @Test
    void settingsBecomeTheEndpoint() throws Exception {
        Path key = Files.writeString(tmp.resolve("api-key"), "the-key\n");
        var settings = new RomaDrConfiguration.TemporalSettings("ns.acct.tmprl.cloud:7233", "ns.acct", null, false, 0,
                null,
                new RomaDrConfiguration.TemporalTlsSettings(null, "", "", "", ""),
                new io.romadr.activities.notify.NotificationSettings.SecretRef(null, "MY_KEY"));
        var endpoint = settings.endpoint(Map.of("MY_KEY", "k-123"));
        assertTrue(endpoint.tlsOn(), "an API key turns TLS on");
        assertEquals("ns.acct.tmprl.cloud:7233 namespace ns.acct (TLS: the JDK's CAs; API key from environment "
                + "MY_KEY)", endpoint.describe());
        // nothing named: the Temporal CLI's variables
        var fallback = new RomaDrConfiguration.TemporalSettings(null, null, null, false, 0, null, null, null)
                .endpoint(Map.of("TEMPORAL_API_KEY_FILE", key.toString()));
        assertEquals("file " + key, fallback.apiKey().source());
        assertFalse(fallback.toString().contains("the-key"), fallback.toString());
    }

    private String failedStart(String temporalExtra) throws Exception {
        Path plans = TlsFixtures.plans(tmp);
        Path config = tmp.resolve("worker.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  requestLog: {appenders: []}
                logging:
                  level: WARN
                temporal:
                  address: 127.0.0.1:1
                %splansDir: "%s"
                """.formatted(temporalExtra, plans));
        DropwizardTestSupport<RomaDrConfiguration> support = new DropwizardTestSupport<>(RomaDrApplication.class,
                config.toString());
        try {
            Exception e = assertThrows(Exception.class, support::before);
            StringBuilder sb = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                sb.append(t.getMessage()).append('\n');
            }
            return sb.toString();
        } finally {
            support.after();
        }
    }
}
