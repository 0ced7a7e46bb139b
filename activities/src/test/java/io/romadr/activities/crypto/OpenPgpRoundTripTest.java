package io.romadr.activities.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interop with the real gpg (2.2+) both ways, for RSA and Curve25519 keys made by gpg, plus the failure modes that
 * matter for a restore: wrong key, modified ciphertext, wrong passphrase, unusable recipient keys, and a large
 * stream under a small heap.
 */
@org.junit.jupiter.api.Tag("integration")
class OpenPgpRoundTripTest {

    /** One gpg-generated key: its gpg home holds only this secret key. */
    record TestKey(GpgHome home, String userId, String fingerprint, String passphrase, List<PgpRecipient> recipients,
            PgpSecretKeys secret, String publicArmoured, String secretArmoured) {
        char[] pass() {
            return passphrase.toCharArray();
        }
    }

    static TestKey rsa;
    static TestKey curve;
    static GpgHome misc;
    static final List<GpgHome> homes = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void generateKeys() throws Exception {
        rsa = newKey("RSA Test <rsa@example.org>", "rsa3072", "encr");
        curve = newKey("Curve Test <cv@example.org>", "future-default", "default");
        misc = new GpgHome(UUID.randomUUID().toString());
        homes.add(misc);
    }

    static TestKey newKey(String userId, String algo, String usage) throws Exception {
        String passphrase = UUID.randomUUID().toString();
        GpgHome home = new GpgHome(passphrase);
        homes.add(home);
        String fpr = home.generateKey(userId, algo, usage, "never");
        String pub = home.exportPublic(fpr);
        String sec = home.exportSecret(fpr);
        return new TestKey(home, userId, fpr, passphrase, OpenPgpKeys.readRecipients(pub),
                OpenPgpKeys.readSecretKeys(sec), pub, sec);
    }

    @AfterAll
    static void removeHomes() throws Exception {
        for (GpgHome h : homes) {
            h.close();
        }
    }

    // ---- roma-dr -> gpg

    @Test
    void romaEncryptsRsaAndGpgDecrypts() throws Exception {
        romaEncryptsGpgDecrypts(rsa);
    }

    @Test
    void romaEncryptsCurve25519AndGpgDecrypts() throws Exception {
        romaEncryptsGpgDecrypts(curve);
    }

    private void romaEncryptsGpgDecrypts(TestKey key) throws Exception {
        PgpRecipient r = key.recipients().get(0);
        assertEquals(key.fingerprint(), r.primaryFingerprint());
        assertTrue(r.toString().contains(key.fingerprint()), r::toString);
        byte[] data = mixedData(300_000, 1);
        Path enc = tmp.resolve("roma.pgp");
        Files.write(enc, romaEncrypt(data, key.recipients()));

        String packets = key.home().listPackets(enc);
        assertTrue(packets.contains("mdc_method: 2"), "SEIPD v1 with MDC expected:\n" + packets);
        assertTrue(packets.contains("gpg: AES256 encrypted data"), "AES-256 expected:\n" + packets);
        assertFalse(packets.contains(":compressed packet:"), "no compression by default:\n" + packets);
        assertTrue(packets.contains("keyid " + r.keyId()), "encrypted to " + r.keyId() + ":\n" + packets);

        Path out = tmp.resolve("gpg.out");
        key.home().decrypt(enc, out);
        assertArrayEquals(data, Files.readAllBytes(out));
    }

    /**
     * The CFB stream's edges (OpenPgpCfbOutputStream): an empty file, messages ending inside a block, on a 64 KiB
     * buffer edge and one past it; gpg must decrypt each and roma-dr too.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 17, 65_519, 65_536, 65_537, 131_075})
    void gpgDecryptsEverySizeRomaEncrypts(int size) throws Exception {
        byte[] data = mixedData(size, size);
        Path enc = tmp.resolve("size-" + size + ".pgp");
        Files.write(enc, romaEncrypt(data, rsa.recipients()));
        Path out = tmp.resolve("size-" + size + ".out");
        rsa.home().decrypt(enc, out);
        assertArrayEquals(data, Files.readAllBytes(out), "gpg, " + size + " bytes");
        assertArrayEquals(data, romaDecrypt(Files.readAllBytes(enc), rsa), "roma-dr, " + size + " bytes");
    }

    @Test
    void romaZlibCompressionIsReadableByGpg() throws Exception {
        byte[] data = "compressible line\n".repeat(20_000).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (OutputStream enc = new OpenPgpEncryptor(OpenPgpEncryptor.Compression.ZLIB).encrypt(buf,
                rsa.recipients())) {
            enc.write(data);
        }
        assertTrue(buf.size() < data.length / 10, "zlib should shrink repetitive text: " + buf.size());
        Path enc = tmp.resolve("zlib.pgp");
        Files.write(enc, buf.toByteArray());
        Path out = tmp.resolve("zlib.out");
        rsa.home().decrypt(enc, out);
        assertArrayEquals(data, Files.readAllBytes(out));
    }

    @Test
    void multiRecipientMessageOpensWithEachKeyAlone() throws Exception {
        byte[] data = mixedData(100_000, 2);
        List<PgpRecipient> both = new ArrayList<>(rsa.recipients());
        both.addAll(curve.recipients());
        Path enc = tmp.resolve("both.pgp");
        Files.write(enc, romaEncrypt(data, both));
        for (TestKey key : List.of(rsa, curve)) {
            Path out = tmp.resolve("both-" + key.fingerprint() + ".out");
            key.home().decrypt(enc, out); // this home holds only this one secret key
            assertArrayEquals(data, Files.readAllBytes(out), "gpg with " + key.userId());
            assertArrayEquals(data, romaDecrypt(Files.readAllBytes(enc), key), "roma-dr with " + key.userId());
        }
    }

    // ---- gpg -> roma-dr

    static Stream<Arguments> gpgVariants() {
        List<Arguments> all = new ArrayList<>();
        for (String key : List.of("rsa", "curve")) {
            for (boolean armor : List.of(false, true)) {
                for (boolean compress : List.of(false, true)) {
                    all.add(Arguments.of(key, armor, compress));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} armor={1} compress={2}")
    @MethodSource("gpgVariants")
    void gpgEncryptsAndRomaDecrypts(String keyName, boolean armor, boolean compress) throws Exception {
        TestKey key = keyName.equals("rsa") ? rsa : curve;
        byte[] data = mixedData(200_000, 3);
        Path in = tmp.resolve("plain.bin");
        Files.write(in, data);
        Path enc = tmp.resolve("gpg.pgp");
        List<String> options = new ArrayList<>();
        if (armor) {
            options.add("--armor");
        }
        // gpg's default for these keys is ZLIB/ZIP; 'none' writes the literal packet directly
        options.addAll(compress ? List.of("--compress-algo", "zlib") : List.of("--compress-algo", "none"));
        key.home().encrypt(in, enc, List.of(key.fingerprint()), options.toArray(String[]::new));
        String packets = key.home().listPackets(enc);
        assertEquals(compress, packets.contains(":compressed packet:"), packets);

        assertArrayEquals(data, romaDecrypt(Files.readAllBytes(enc), key));
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        char[] pass = key.pass();
        long n = new OpenPgpDecryptor().decrypt(Files.newInputStream(enc), streamed, key.secret(), pass);
        Arrays.fill(pass, '\0');
        assertEquals(data.length, n);
        assertArrayEquals(data, streamed.toByteArray());
    }

    // ---- failures

    @Test
    void messageForAnotherKeyFailsNamingTheKeyIds() throws Exception {
        byte[] enc = romaEncrypt(mixedData(1000, 4), rsa.recipients());
        OpenPgpException e = assertThrows(OpenPgpException.class, () -> romaDecrypt(enc, curve));
        assertTrue(e.getMessage().startsWith("not encrypted to this key"), e.getMessage());
        assertTrue(e.getMessage().contains(rsa.recipients().get(0).keyId()), e.getMessage());
        assertTrue(e.getMessage().contains(curve.recipients().get(0).keyId()), e.getMessage());
    }

    @Test
    void flippedCiphertextByteFailsTheIntegrityCheck() throws Exception {
        byte[] data = mixedData(1 << 20, 5);
        byte[] enc = romaEncrypt(data, curve.recipients());
        assertArrayEquals(data, romaDecrypt(enc, curve)); // control: the untouched message opens

        byte[] tampered = enc.clone();
        tampered[tampered.length / 2] ^= 0x01;
        OpenPgpException e = assertThrows(OpenPgpException.class, () -> romaDecrypt(tampered, curve));
        assertTrue(e.getMessage().startsWith("integrity check failed"), e.getMessage());

        // streaming: the bytes before EOF come out (unverified), then EOF throws instead of returning -1
        char[] pass = curve.pass();
        InputStream plain = new OpenPgpDecryptor().decrypt(new ByteArrayInputStream(tampered), curve.secret(), pass);
        OpenPgpException streamed = assertThrows(OpenPgpException.class,
                () -> plain.transferTo(OutputStream.nullOutputStream()));
        assertTrue(streamed.getMessage().startsWith("integrity check failed"), streamed.getMessage());
        Arrays.fill(pass, '\0');

        // the same through gpg's own output, where the flip lands in compressed data
        Path in = tmp.resolve("text.txt");
        Files.write(in, "a compressible line of text\n".repeat(50_000).getBytes(StandardCharsets.UTF_8));
        Path gpgEnc = tmp.resolve("text.pgp");
        rsa.home().encrypt(in, gpgEnc, List.of(rsa.fingerprint()), "--compress-algo", "zlib");
        byte[] gpgTampered = Files.readAllBytes(gpgEnc);
        gpgTampered[gpgTampered.length / 2] ^= 0x40;
        OpenPgpException ce = assertThrows(OpenPgpException.class, () -> romaDecrypt(gpgTampered, rsa));
        assertTrue(ce.getMessage().startsWith("integrity check failed"), ce.getMessage());
    }

    @Test
    void truncatedMessageFails() throws Exception {
        byte[] enc = romaEncrypt(mixedData(200_000, 6), rsa.recipients());
        byte[] truncated = Arrays.copyOf(enc, enc.length - 30);
        OpenPgpException e = assertThrows(OpenPgpException.class, () -> romaDecrypt(truncated, rsa));
        assertTrue(e.getMessage().startsWith("integrity check failed"), e.getMessage());
    }

    @Test
    void wrongPassphraseFailsClearlyWithoutEchoingIt() throws Exception {
        byte[] enc = romaEncrypt(mixedData(1000, 7), rsa.recipients());
        String wrong = "not-" + rsa.passphrase();
        char[] wrongChars = wrong.toCharArray();
        OpenPgpException e = assertThrows(OpenPgpException.class,
                () -> new OpenPgpDecryptor().decryptToBytes(new ByteArrayInputStream(enc), rsa.secret(), wrongChars,
                        1 << 20));
        assertTrue(e.getMessage().startsWith("wrong passphrase for secret key "), e.getMessage());
        assertTrue(e.getMessage().contains(rsa.recipients().get(0).keyFingerprint()), e.getMessage());
        assertFalse(e.getMessage().contains(wrong), "the passphrase must not appear in the message");
        assertFalse(String.valueOf(e.getCause()).contains(wrong));
    }

    @Test
    void decryptToBytesEnforcesTheSizeLimit() throws Exception {
        byte[] enc = romaEncrypt(mixedData(10_000, 8), rsa.recipients());
        char[] pass = rsa.pass();
        OpenPgpException e = assertThrows(OpenPgpException.class,
                () -> new OpenPgpDecryptor().decryptToBytes(new ByteArrayInputStream(enc), rsa.secret(), pass, 4096));
        assertTrue(e.getMessage().contains("larger than 4096"), e.getMessage());
    }

    @Test
    void unusableRecipientKeysAreRefusedByFingerprint() throws Exception {
        String signOnly = misc.generateKey("Sign Only <sign@example.org>", "ed25519", "sign", "never");
        OpenPgpException e = assertThrows(OpenPgpException.class,
                () -> OpenPgpKeys.readRecipients(misc.exportPublic(signOnly)));
        assertTrue(e.getMessage().contains(signOnly) && e.getMessage().contains("Sign Only <sign@example.org>")
                && e.getMessage().contains("no usable encryption key"), e.getMessage());

        String rsaSignOnly = misc.generateKey("RSA Sign <rsasign@example.org>", "rsa2048", "sign", "never");
        OpenPgpException e2 = assertThrows(OpenPgpException.class,
                () -> OpenPgpKeys.readRecipients(misc.exportPublic(rsaSignOnly)));
        assertTrue(e2.getMessage().contains(rsaSignOnly) && e2.getMessage().contains("not flagged for encryption"),
                e2.getMessage());

        String expired = misc.generateKey("Expired <exp@example.org>", "future-default", "default", "1d",
                "--faked-system-time", "20200101T000000");
        OpenPgpException e3 = assertThrows(OpenPgpException.class,
                () -> OpenPgpKeys.readRecipients(misc.exportPublic(expired)));
        assertTrue(e3.getMessage().contains(expired) && e3.getMessage().contains("expired"), e3.getMessage());

        String revoked = misc.generateKey("Revoked <rev@example.org>", "future-default", "default", "never");
        assertEquals(1, OpenPgpKeys.readRecipients(misc.exportPublic(revoked)).size()); // usable before
        misc.revoke(revoked);
        OpenPgpException e4 = assertThrows(OpenPgpException.class,
                () -> OpenPgpKeys.readRecipients(misc.exportPublic(revoked)));
        assertTrue(e4.getMessage().contains(revoked) && e4.getMessage().contains("revoked"), e4.getMessage());
    }

    @Test
    void keysLoadFromFilesAndSecretKeyToStringHidesNothingSecret() throws Exception {
        Path pub = tmp.resolve("pub.asc");
        Path sec = tmp.resolve("sec.asc");
        Files.writeString(pub, curve.publicArmoured());
        Files.writeString(sec, curve.secretArmoured());
        List<PgpRecipient> recipients = OpenPgpKeys.readRecipients(pub);
        assertEquals(curve.recipients().get(0).keyFingerprint(), recipients.get(0).keyFingerprint());
        // future-default: ed25519 primary cannot encrypt, so the cv25519 subkey is chosen
        assertFalse(recipients.get(0).keyFingerprint().equals(curve.fingerprint()));
        PgpSecretKeys keys = OpenPgpKeys.readSecretKeys(sec);
        assertTrue(keys.toString().contains(curve.fingerprint()), keys::toString);
        assertFalse(keys.toString().contains("PRIVATE KEY"), keys::toString);
        byte[] data = mixedData(5000, 9);
        char[] pass = curve.pass();
        assertArrayEquals(data, new OpenPgpDecryptor().decryptToBytes(
                new ByteArrayInputStream(romaEncrypt(data, recipients)), keys, pass, 1 << 20));
        Arrays.fill(pass, '\0');

        OpenPgpException missing = assertThrows(OpenPgpException.class,
                () -> OpenPgpKeys.readSecretKeysFromEnv("ROMA_TEST_SURELY_UNSET_" + UUID.randomUUID().toString()
                        .replace("-", "")));
        assertTrue(missing.getMessage().contains("is not set"), missing.getMessage());
    }

    // ---- large stream, small heap

    @Test
    void fiftyMebibytesStreamThroughAThirtyTwoMebibyteHeap() throws Exception {
        Path pub = tmp.resolve("pub.asc");
        Path sec = tmp.resolve("sec.asc");
        Files.writeString(pub, rsa.publicArmoured());
        Files.writeString(sec, rsa.secretArmoured());
        Path enc = tmp.resolve("big.pgp");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                PgpStreamingCheck.class.getName(), pub.toString(), sec.toString(), "50", enc.toString())
                .redirectErrorStream(true);
        pb.environment().put("ROMA_TEST_PASSPHRASE", rsa.passphrase());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("streaming check did not finish in 300 s");
        }
        assertEquals(0, p.exitValue(), out);
        String plain = line(out, "plain ");
        String decrypted = line(out, "decrypted ");
        assertEquals(plain, decrypted, out);
        assertEquals(String.valueOf(50L << 20), plain.split(" ")[1], out);
        assertTrue(Files.size(enc) > 50L << 20, "uncompressed ciphertext is at least the plaintext size");

        // and gpg reads the same 50 MiB file
        Path gpgOut = tmp.resolve("big.out");
        rsa.home().decrypt(enc, gpgOut);
        assertEquals(50L << 20, Files.size(gpgOut));
        assertEquals(plain.split(" ")[0], sha256(gpgOut));
    }

    // ---- helpers

    static byte[] romaEncrypt(byte[] data, List<PgpRecipient> recipients) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (OutputStream enc = new OpenPgpEncryptor().encrypt(buf, recipients)) {
            // odd-sized writes: exercise partial packet boundaries
            for (int off = 0; off < data.length; off += 7919) {
                enc.write(data, off, Math.min(7919, data.length - off));
            }
        }
        return buf.toByteArray();
    }

    static byte[] romaDecrypt(byte[] message, TestKey key) throws IOException {
        char[] pass = key.pass();
        try {
            return new OpenPgpDecryptor().decryptToBytes(new ByteArrayInputStream(message), key.secret(), pass,
                    64 << 20);
        } finally {
            Arrays.fill(pass, '\0');
        }
    }

    static byte[] mixedData(int size, long seed) {
        byte[] data = new byte[size];
        Random random = new Random(seed);
        random.nextBytes(data);
        byte[] text = "roma-dr test line with repeated content\n".getBytes(StandardCharsets.UTF_8);
        for (int i = size / 2; i < size; i++) {
            data[i] = text[i % text.length];
        }
        return data;
    }

    static String line(String output, String prefix) {
        return output.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + prefix + "' line in:\n" + output));
    }

    static String sha256(Path file) throws Exception {
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                md.update(buf, 0, n);
            }
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }
}
