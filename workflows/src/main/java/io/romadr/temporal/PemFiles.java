package io.romadr.temporal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads the PEM files of a TLS connection, each failure a message naming the setting and the file (never the key's
 * content). Keys: PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) and SEC1 EC
 * ({@code BEGIN EC PRIVATE KEY}), as openssl, cert-manager and Temporal's own tools write them.
 */
final class PemFiles {
    private PemFiles() {
    }

    static List<X509Certificate> certificates(Path file, String setting) {
        byte[] bytes = bytes(file, setting);
        try {
            List<X509Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes)).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certs.isEmpty()) {
                throw new TemporalConfigException(setting + ": the file " + file + " holds no certificate");
            }
            return certs;
        } catch (CertificateException e) {
            throw new TemporalConfigException(setting + ": the file " + file + " is not a PEM certificate "
                    + "(expected -----BEGIN CERTIFICATE-----)");
        }
    }

    static PrivateKey privateKey(Path file, String setting) {
        String text = new String(bytes(file, setting), StandardCharsets.UTF_8);
        Object pem;
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            pem = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new TemporalConfigException(setting + ": the file " + file + " is not a valid PEM private key "
                    + "(" + e.getClass().getSimpleName() + ")");
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            if (pem instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (pem instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo()); // the public half may be absent (SEC1)
            }
        } catch (IOException | RuntimeException e) {
            throw new TemporalConfigException(setting + ": the file " + file + " holds a private key of an "
                    + "unsupported kind (" + e.getClass().getSimpleName() + "); use RSA or EC");
        }
        if (pem instanceof PKCS8EncryptedPrivateKeyInfo || pem instanceof PEMEncryptedKeyPair) {
            throw new TemporalConfigException(setting + ": the key in " + file + " is encrypted; give it "
                    + "unencrypted, e.g. openssl pkey -in " + file + " -out tls.key");
        }
        throw new TemporalConfigException(setting + ": the file " + file + " holds no private key (expected "
                + "-----BEGIN PRIVATE KEY-----, -----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----"
                + (pem == null ? "" : "; found " + pem.getClass().getSimpleName()) + ")");
    }

    private static byte[] bytes(Path file, String setting) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TemporalConfigException(setting + ": cannot read the file " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
