package io.romadr.activities.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogRedactorTest {

    private static void assertMasked(String input, String... secrets) {
        String out = LogRedactor.redact(input);
        for (String s : secrets) {
            assertFalse(out.contains(s), () -> "\"" + s + "\" leaked in: " + out);
        }
        assertTrue(out.contains(LogRedactor.MASK), () -> "nothing masked in: " + out);
    }

    @Test
    void masksKeyValuePairs() {
        assertMasked("connecting with password=hunter2 to db", "hunter2");
        assertMasked("DB_PASSWORD=s3cr3t-value", "s3cr3t-value");
        assertMasked("api_key: abcdef123456", "abcdef123456");
        assertMasked("{\"token\": \"tok-987654\", \"user\": \"bob\"}", "tok-987654");
        assertMasked("client_secret='xyz-123'", "xyz-123");
        assertMasked("GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789", "abcdefghijklmnopqrstuvwxyz0123456789");
        assertMasked("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI");
        assertMasked("run --password hunter2 --verbose", "hunter2");
    }

    @Test
    void masksHeadersAndTokens() {
        assertMasked("Authorization: Bearer eyJhbGciOi.abc.def", "eyJhbGciOi");
        assertMasked("authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz");
        assertMasked("sending header bearer abcdefghijkl", "abcdefghijkl");
        assertMasked("id token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sflKxwRJSMeKKF2QT4", "sflKxwRJSMeKKF2QT4");
    }

    @Test
    void masksAwsKeysUrlsAndPrivateKeys() {
        assertMasked("using key AKIAIOSFODNN7EXAMPLE for s3", "IOSFODNN7EXAMPLE");
        assertMasked("git clone https://deploy:hunter2@git.example.com/roma.git", "hunter2");
        assertMasked("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
                "MIIEowIBAAKCAQEA");
    }

    @Test
    void leavesOrdinaryLogsAlone() {
        String log = "2026-01-01 12:00:00 INFO server started on port 8080\nGET /health 200 3ms\n";
        assertEquals(log, LogRedactor.redact(log));
        assertEquals("", LogRedactor.redact(null));
    }

    @Test
    void tailIsCutAfterRedaction() {
        String log = "x".repeat(5000) + "\npassword=hunter2\nlast line\n";
        String tail = LogRedactor.redactTail(log, 100);
        assertFalse(tail.contains("hunter2"));
        assertTrue(tail.endsWith("last line\n"));
        assertTrue(tail.length() <= 110);
    }
}
