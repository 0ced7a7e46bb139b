package io.romadr.activities.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.notify.NotificationSettings.EmailSettings;
import io.romadr.activities.notify.NotificationSettings.SecretRef;
import io.romadr.activities.smtp.SmtpServerProcess;
import io.romadr.activities.smtp.SmtpServerProcess.Options;
import io.romadr.activities.smtp.TestCertificate;
import io.romadr.notify.ChannelType;
import io.romadr.notify.Delivery;
import io.romadr.notify.Notice;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * roma-dr's e-mail channel against a real SMTP server (aiosmtpd) that requires STARTTLS and AUTH: the delivered mail
 * carries subject, plan, scenario, step, RTO used, next action, Web UI link and the duplicate-recognition headers; a
 * wrong password and a server without STARTTLS are refused, and no message names the password.
 */
@Tag("integration")
class EmailChannelTest {
    private static final String USER = "roma-dr";
    private static final String PASSWORD = "smtp-Pa55-for-test";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @Test
    void sendsThroughStartTlsAndAuthWithEverythingAReaderNeeds() throws Exception {
        TestCertificate cert = TestCertificate.create(tmp);
        try (SmtpServerProcess smtp = SmtpServerProcess.start(Options.tlsAndAuth(cert, USER, PASSWORD))) {
            EmailChannel channel = channel(smtp, "required", passwordFile(PASSWORD), cert.cert());
            String workflowId = NotifyTestData.workflowId();
            String link = NotifyTestData.link(workflowId);
            Notice started = NotifyTestData.recoveryStarted(workflowId);

            assertEquals("mail to oncall@example.org accepted by 127.0.0.1",
                    channel.send(delivery(started), link));

            MimeMessage mail = smtp.await(m -> true, 1, WAIT).get(0);
            assertEquals("[roma-dr] CRITICAL " + started.title(), mail.getSubject());
            assertEquals("roma-dr@example.org", mail.getFrom()[0].toString());
            assertEquals("oncall@example.org", mail.getAllRecipients()[0].toString());
            assertEquals(started.key(), mail.getHeader("X-Roma-Event-Key")[0]);
            assertTrue(mail.getMessageID().matches("<[0-9a-f]{32}@roma-dr>"), mail.getMessageID());
            assertEquals("True", mail.getHeader("X-Test-Tls")[0], "sent after STARTTLS");
            assertEquals("True", mail.getHeader("X-Test-Auth")[0], "sent after AUTH");
            String body = SmtpServerProcess.text(mail);
            for (String expected : List.of("Plan:      roma", "Scenario:  service-failure",
                    "Step:      restart-service", "RTO used:  40% (6m00s of 15m00s)",
                    "Next action: Watch the run", "Web UI: " + link, "health check of roma-web failed")) {
                assertTrue(body.contains(expected), "the body has '" + expected + "':\n" + body);
            }

            // A retry (a worker crash after the server accepted) sends the same Message-ID: recognisably a duplicate.
            channel.send(delivery(started), link);
            Notice resolved = NotifyTestData.recovered(started);
            channel.send(delivery(resolved), link);
            List<MimeMessage> all = smtp.await(m -> true, 3, WAIT);
            assertEquals(all.get(0).getMessageID(), all.get(1).getMessageID());
            MimeMessage resolution = all.get(2);
            assertEquals("[roma-dr] RESOLVED " + resolved.title(), resolution.getSubject());
            assertEquals(started.key(), resolution.getHeader("X-Roma-Event-Key")[0]);
            assertNotEquals(all.get(0).getMessageID(), resolution.getMessageID());
            assertTrue(SmtpServerProcess.text(resolution).startsWith("RESOLVED: " + resolved.title()));
        }
    }

    @Test
    void wrongPasswordIsRefusedWithoutNamingIt() throws Exception {
        TestCertificate cert = TestCertificate.create(tmp);
        String wrong = "not-the-Pa55word";
        try (SmtpServerProcess smtp = SmtpServerProcess.start(Options.tlsAndAuth(cert, USER, PASSWORD))) {
            EmailChannel channel = channel(smtp, "required", passwordFile(wrong), cert.cert());
            Notice notice = NotifyTestData.recoveryStarted(NotifyTestData.workflowId());
            Exception e = assertThrows(Exception.class, () -> channel.send(delivery(notice), ""));
            assertTrue(e.getMessage().contains("SMTP 127.0.0.1:" + smtp.port()), e.getMessage());
            assertTrue(e.getMessage().contains("535"), "the server's refusal is quoted: " + e.getMessage());
            assertNoSecret(e, wrong);
            assertNoSecret(e, PASSWORD);
            assertTrue(smtp.messages().isEmpty(), "nothing was delivered");
        }
    }

    @Test
    void serverWithoutStartTlsIsRefusedWhenRequiredAndUsedWhenOff() throws Exception {
        try (SmtpServerProcess smtp = SmtpServerProcess.start(Options.plain())) {
            Notice notice = NotifyTestData.recoveryStarted(NotifyTestData.workflowId());
            EmailChannel required = channel(smtp, "required", null, null);
            Exception e = assertThrows(Exception.class, () -> required.send(delivery(notice), ""));
            assertTrue(e.getMessage().contains("STARTTLS"), e.getMessage());
            assertTrue(smtp.messages().isEmpty(), "nothing sent in clear");

            EmailChannel off = channel(smtp, "off", null, null);
            assertEquals("mail to oncall@example.org accepted by 127.0.0.1", off.send(delivery(notice), ""));
            assertEquals("False", smtp.await(m -> true, 1, WAIT).get(0).getHeader("X-Test-Tls")[0]);
        }
    }

    @Test
    void certificateNotFromTheTrustStoreIsRefused() throws Exception {
        TestCertificate serverCert = TestCertificate.create(Files.createDirectories(tmp.resolve("server")));
        TestCertificate otherCa = TestCertificate.create(Files.createDirectories(tmp.resolve("other")));
        try (SmtpServerProcess smtp = SmtpServerProcess.start(Options.tlsAndAuth(serverCert, USER, PASSWORD))) {
            EmailChannel channel = channel(smtp, "required", passwordFile(PASSWORD), otherCa.cert());
            Notice notice = NotifyTestData.recoveryStarted(NotifyTestData.workflowId());
            Exception e = assertThrows(Exception.class, () -> channel.send(delivery(notice), ""));
            assertTrue(e.getMessage().toLowerCase().contains("certificat")
                    || e.getMessage().contains("PKIX"), e.getMessage());
            assertNoSecret(e, PASSWORD);
            assertTrue(smtp.messages().isEmpty());
        }
    }

    private EmailChannel channel(SmtpServerProcess smtp, String startTls, Path passwordFile, Path trustStore) {
        EmailSettings email = new EmailSettings("127.0.0.1", smtp.port(), startTls,
                passwordFile == null ? null : USER,
                passwordFile == null ? null : new SecretRef(passwordFile.toString(), null), "roma-dr@example.org",
                trustStore == null ? null : trustStore.toString());
        NotificationSettings settings = new NotificationSettings("http://127.0.0.1:8233", Duration.ofSeconds(5), null,
                null, null, email, null);
        return new EmailChannel(settings, Map.of());
    }

    private Path passwordFile(String password) throws Exception {
        Path file = Files.createTempFile(tmp, "smtp-password", "");
        Files.writeString(file, password + "\n");
        return file;
    }

    private static Delivery delivery(Notice notice) {
        return NotifyTestData.to(notice, ChannelType.EMAIL, "oncall@example.org");
    }

    private static void assertNoSecret(Throwable e, String secret) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(secret), "the password is in: " + t);
        }
    }
}
