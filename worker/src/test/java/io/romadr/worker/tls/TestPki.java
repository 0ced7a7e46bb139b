package io.romadr.worker.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates and API keys the TLS tests make, with the commands an operator runs (docs/temporal-connection.md):
 * {@code openssl} for a CA, a server certificate for 127.0.0.1 and localhost, and a client certificate (its key
 * both as PKCS#8 and as PKCS#1); a JWKS and JWTs signed with its key (the server's default claim mapper reads
 * {@code permissions}).
 */
final class TestPki {
    final Path dir;
    final Path caCert;
    final Path serverCert;
    final Path serverKey;
    final Path clientCert;
    final Path clientKeyPkcs8;
    final Path clientKeyPkcs1;

    private TestPki(Path dir) {
        this.dir = dir;
        this.caCert = dir.resolve("ca.crt");
        this.serverCert = dir.resolve("server.crt");
        this.serverKey = dir.resolve("server.key");
        this.clientCert = dir.resolve("client.crt");
        this.clientKeyPkcs8 = dir.resolve("client.key");
        this.clientKeyPkcs1 = dir.resolve("client-pkcs1.key");
    }

    static TestPki create(Path dir) throws IOException {
        Files.createDirectories(dir);
        TestPki pki = new TestPki(dir);
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-days", "2", "-subj", "/CN=roma-dr test CA");
        pki.sign("server", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                + "extendedKeyUsage=serverAuth\n");
        pki.sign("client", "/CN=roma-dr-worker", "extendedKeyUsage=clientAuth\n");
        openssl(dir, "rsa", "-in", "client.key", "-traditional", "-out", "client-pkcs1.key");
        return pki;
    }

    private void sign(String name, String subject, String extensions) throws IOException {
        Files.writeString(dir.resolve(name + ".ext"), extensions);
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                "-subj", subject);
        openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An RSA key that signs API keys (JWTs); {@link #writeJwks} publishes its public half. */
    static KeyPair signingKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    static Path writeJwks(Path file, KeyPair key) throws IOException {
        RSAPublicKey pub = (RSAPublicKey) key.getPublic();
        String json = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"roma-dr-test\",\"use\":\"sig\",\"alg\":\"RS256\","
                + "\"n\":\"" + b64(unsigned(pub.getModulus())) + "\",\"e\":\"" + b64(unsigned(pub.getPublicExponent()))
                + "\"}]}";
        return Files.writeString(file, json);
    }

    /** A JWT as Temporal's config/jwt/generate-token.sh makes it: RS256, kid, sub, permissions, iat, exp. */
    static String jwt(KeyPair key, String subject, String... permissions) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"roma-dr-test\"}"
                .getBytes(StandardCharsets.UTF_8));
        String perms = String.join(",", java.util.Arrays.stream(permissions).map(p -> "\"" + p + "\"").toList());
        String payload = b64(("{\"sub\":\"" + subject + "\",\"permissions\":[" + perms + "],\"iat\":" + now
                + ",\"exp\":" + (now + 3600) + "}").getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key.getPrivate());
        s.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + b64(s.sign());
    }

    private static byte[] unsigned(BigInteger i) {
        byte[] b = i.toByteArray();
        return b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
