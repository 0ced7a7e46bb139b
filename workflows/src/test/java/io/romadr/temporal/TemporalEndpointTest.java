package io.romadr.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings to stubs options: every PEM kind Temporal's docs produce, and a clear error for each broken input. */
class TemporalEndpointTest {
    static final String KEY_TEXT = "k-3b9f-super-secret-api-key";

    @TempDir
    Path dir;

    @Test
    void plainEndpointHasNoTls() {
        TemporalEndpoint e = TemporalEndpoint.plain("127.0.0.1:7233", null);
        assertFalse(e.tlsOn());
        assertEquals("default", e.namespace());
        WorkflowServiceStubsOptions o = e.serviceStubsOptions().build();
        assertFalse(o.getEnableHttps());
        assertEquals(null, o.getSslContext());
        assertEquals("127.0.0.1:7233 namespace default (no TLS)", e.describe());
    }

    @Test
    void mutualTlsWithEveryKeyFormat() throws Exception {
        for (String alg : new String[]{"RSA", "EC"}) {
            KeyPair pair = keyPair(alg);
            Path cert = write("client-" + alg + ".crt", pem(certificate(pair, alg)));
            Path ca = cert; // self-signed: its own CA
            for (boolean pkcs8 : new boolean[]{true, false}) {
                Path key = write("client-" + alg + pkcs8 + ".key", pkcs8 ? pkcs8(pair) : traditional(pair));
                String header = Files.readString(key).lines().findFirst().orElseThrow();
                assertEquals(pkcs8 ? "-----BEGIN PRIVATE KEY-----" : "-----BEGIN " + alg + " PRIVATE KEY-----",
                        header);
                TemporalEndpoint e = new TemporalEndpoint("temporal.example:7233", "prod",
                        new TemporalTls(null, ca, cert, key, "temporal.example"), null);
                assertTrue(e.tlsOn());
                WorkflowServiceStubsOptions o = e.serviceStubsOptions().build();
                assertTrue(o.getEnableHttps());
                assertNotNull(o.getSslContext(), alg + " " + header);
                assertNotNull(o.getChannelInitializer(), "the server name override");
            }
        }
    }

    @Test
    void apiKeyTurnsTlsOnUnlessExplicitlyOffAndNeverShows() throws Exception {
        Path keyFile = write("api-key", KEY_TEXT + "\n");
        TemporalApiKey key = TemporalApiKey.fromFileOrEnvironment(keyFile, Map.of());
        TemporalEndpoint cloud = new TemporalEndpoint("ns.acct.tmprl.cloud:7233", "ns.acct", null, key);
        assertTrue(cloud.tlsOn(), "Temporal Cloud: the JDK's CAs");
        WorkflowServiceStubsOptions o = cloud.serviceStubsOptions().build();
        assertEquals(1, o.getGrpcMetadataProviders().size());
        assertEquals("Bearer " + KEY_TEXT, o.getGrpcMetadataProviders().iterator().next().getMetadata()
                .get(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER)));
        for (String shown : new String[]{cloud.toString(), cloud.describe(), key.toString(), o.toString()}) {
            assertFalse(shown.contains(KEY_TEXT), shown);
        }
        assertTrue(cloud.describe().contains("API key from file " + keyFile), cloud.describe());

        TemporalEndpoint selfHosted = new TemporalEndpoint("127.0.0.1:7233", null,
                new TemporalTls(false, null, null, null, null), key);
        assertFalse(selfHosted.tlsOn());
        assertFalse(selfHosted.serviceStubsOptions().build().getEnableHttps());
    }

    @Test
    void apiKeyFromTheEnvironmentAndTheFileEnvironmentName() throws Exception {
        Path keyFile = write("api-key", KEY_TEXT);
        assertEquals("file " + keyFile, TemporalApiKey.fromFileOrEnvironment(null,
                Map.of("TEMPORAL_API_KEY_FILE", keyFile.toString(), "TEMPORAL_API_KEY", "other")).source());
        TemporalApiKey env = TemporalApiKey.fromFileOrEnvironment(null, Map.of("TEMPORAL_API_KEY", KEY_TEXT));
        assertEquals("environment TEMPORAL_API_KEY", env.source());
        assertEquals(KEY_TEXT, env.value());
        assertEquals(null, TemporalApiKey.fromFileOrEnvironment(null, Map.of()));
    }

    @Test
    void rotatedKeyFileIsReadAgain() throws Exception {
        Path keyFile = write("api-key", "first");
        TemporalApiKey key = TemporalApiKey.fromFile(keyFile);
        assertEquals("first", key.value());
        Files.writeString(keyFile, "second\n");
        Files.setLastModifiedTime(keyFile, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals("second", key.value());
    }

    @Test
    void missingFilesNameTheSettingAndTheFile() {
        Path missing = dir.resolve("nope/ca.crt");
        TemporalEndpoint e = new TemporalEndpoint("h:1", null, new TemporalTls(true, missing, null, null, null),
                null);
        var error = assertThrows(TemporalConfigException.class, e::serviceStubsOptions);
        assertEquals("the TLS CA certificate (temporal.tls.caFile, --tls-ca, TEMPORAL_TLS_CA): cannot read the file "
                + missing + " (NoSuchFileException)", error.getMessage());

        var key = assertThrows(TemporalConfigException.class,
                () -> TemporalApiKey.fromFile(dir.resolve("absent-key")));
        assertTrue(key.getMessage().contains("--api-key-file") && key.getMessage().contains("absent-key"),
                key.getMessage());
        var env = assertThrows(TemporalConfigException.class,
                () -> TemporalApiKey.fromEnvironment("TEMPORAL_API_KEY", Map.of()));
        assertTrue(env.getMessage().contains("TEMPORAL_API_KEY is not set"), env.getMessage());
    }

    @Test
    void badPemAndMismatchedKeyAreClear() throws Exception {
        KeyPair pair = keyPair("RSA");
        Path cert = write("c.crt", pem(certificate(pair, "RSA")));
        Path key = write("c.key", pkcs8(pair));
        Path garbage = write("garbage.pem", "not a pem\n");

        var badCa = assertThrows(TemporalConfigException.class, () -> new TemporalEndpoint("h:1", null,
                new TemporalTls(null, garbage, null, null, null), null).serviceStubsOptions());
        assertTrue(badCa.getMessage().startsWith("the TLS CA certificate (temporal.tls.caFile"), badCa.getMessage());
        assertTrue(badCa.getMessage().contains(garbage + " is") || badCa.getMessage().contains(garbage + " holds"),
                badCa.getMessage());

        var badKey = assertThrows(TemporalConfigException.class, () -> new TemporalEndpoint("h:1", null,
                new TemporalTls(null, null, cert, garbage, null), null).serviceStubsOptions());
        assertTrue(badKey.getMessage().startsWith("the TLS client key (temporal.tls.keyFile, --tls-key, "
                + "TEMPORAL_TLS_KEY): the file " + garbage), badKey.getMessage());

        var certAsKey = assertThrows(TemporalConfigException.class, () -> new TemporalEndpoint("h:1", null,
                new TemporalTls(null, null, cert, cert, null), null).serviceStubsOptions());
        assertTrue(certAsKey.getMessage().contains("holds no private key"), certAsKey.getMessage());

        Path otherKey = write("other.key", pkcs8(keyPair("RSA")));
        var mismatch = assertThrows(TemporalConfigException.class, () -> new TemporalEndpoint("h:1", null,
                new TemporalTls(null, null, cert, otherKey, null), null).serviceStubsOptions());
        assertTrue(mismatch.getMessage().contains("does not belong to the certificate in " + cert),
                mismatch.getMessage());
        assertFalse(mismatch.getMessage().contains("PRIVATE KEY-----"), mismatch.getMessage());

        // the good pair works
        assertNotNull(new TemporalEndpoint("h:1", null, new TemporalTls(null, null, cert, key, null), null)
                .serviceStubsOptions().build().getSslContext());
    }

    @Test
    void settingsThatDoNotGoTogether() {
        Path p = dir.resolve("x");
        var half = assertThrows(TemporalConfigException.class, () -> new TemporalTls(null, null, p, null, null));
        assertTrue(half.getMessage().startsWith("mutual TLS needs both"), half.getMessage());
        var off = assertThrows(TemporalConfigException.class, () -> new TemporalTls(false, p, null, null, null));
        assertTrue(off.getMessage().contains("is false but TLS files"), off.getMessage());
        var noAddress = assertThrows(TemporalConfigException.class, () -> TemporalEndpoint.plain(" ", null));
        assertTrue(noAddress.getMessage().contains("TEMPORAL_ADDRESS"), noAddress.getMessage());
    }

    @Test
    void tlsEnabledAsWrittenInEnvironmentsAndYaml() {
        assertEquals(null, TemporalTls.parseEnabled(""));
        assertEquals(null, TemporalTls.parseEnabled(null));
        assertEquals(true, TemporalTls.parseEnabled("TRUE"));
        assertEquals(true, TemporalTls.parseEnabled("1"));
        assertEquals(false, TemporalTls.parseEnabled(" no "));
        var bad = assertThrows(TemporalConfigException.class, () -> TemporalTls.parseEnabled("maybe"));
        assertEquals("TLS (temporal.tls.enabled, --tls, TEMPORAL_TLS): expected true or false, got \"maybe\"",
                bad.getMessage());
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static KeyPair keyPair(String alg) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
        g.initialize(alg.equals("RSA") ? 2048 : 256);
        return g.generateKeyPair();
    }

    private static java.security.cert.X509Certificate certificate(KeyPair pair, String alg) throws Exception {
        X500Name name = new X500Name("CN=roma-dr test " + alg);
        Instant now = Instant.now();
        var holder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), name,
                pair.getPublic())
                .build(new JcaContentSignerBuilder(alg.equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA")
                        .build(pair.getPrivate()));
        return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(holder);
    }

    /** Traditional OpenSSL format for a private key (PKCS#1 RSA, SEC1 EC); PEM for a certificate. */
    private static String pem(Object o) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(o);
        }
        return w.toString();
    }

    /** PKCS#1 for RSA; SEC1 for EC with its curve and public key, as {@code openssl ecparam -genkey} writes it. */
    private static String traditional(KeyPair pair) throws Exception {
        if (pair.getPrivate().getAlgorithm().equals("RSA")) {
            return pem(pair.getPrivate());
        }
        var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded());
        var inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(),
                org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded())
                        .getPublicKeyData(),
                info.getPrivateKeyAlgorithm().getParameters());
        return pem(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }

    private static String pkcs8(KeyPair pair) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new JcaPKCS8Generator(pair.getPrivate(), null));
        }
        return w.toString();
    }
}
