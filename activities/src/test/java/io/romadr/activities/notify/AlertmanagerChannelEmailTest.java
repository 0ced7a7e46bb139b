package io.romadr.activities.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.romadr.activities.alertmanager.AlertmanagerProcess;
import io.romadr.activities.alertmanager.AlertmanagerProcess.Config;
import io.romadr.activities.alertmanager.AlertmanagerProcess.EmailReceiver;
import io.romadr.activities.notify.NotificationSettings.AlertmanagerTarget;
import io.romadr.activities.smtp.SmtpServerProcess;
import io.romadr.activities.smtp.TestCertificate;
import io.romadr.notify.ChannelType;
import io.romadr.notify.Delivery;
import io.romadr.notify.Notice;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * roma-dr's Alertmanager channel against a real Alertmanager whose route sends to its e-mail receiver, which
 * delivers (STARTTLS checked against the test CA, then AUTH) to a real SMTP server (aiosmtpd): the alert arrives as
 * mail with the plan, scenario, summary and Web UI link; a repeated trigger is one alert; the resolution resolves it
 * (gone from the active alerts, and a resolved mail).
 */
@Tag("integration")
class AlertmanagerChannelEmailTest {
    private static final Duration MAIL_WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void alertReachesMailThroughAlertmanagerAndItsResolutionResolvesIt() throws Exception {
        TestCertificate cert = TestCertificate.create(tmp);
        try (SmtpServerProcess smtp = SmtpServerProcess.start(
                SmtpServerProcess.Options.tlsAndAuth(cert, "alertmanager", "am-smtp-pass"));
                AlertmanagerProcess am = AlertmanagerProcess.start(Config.email(new EmailReceiver(
                        "oncall@example.org", "alertmanager@example.org", smtp.port(), cert.cert(), "alertmanager",
                        "am-smtp-pass")))) {
            NotificationSettings settings = new NotificationSettings("http://127.0.0.1:8233", Duration.ofSeconds(5),
                    Map.of("default", new AlertmanagerTarget(am.baseUri().toString(), null, null, null)), null, null,
                    null, null);
            AlertmanagerChannel channel = new AlertmanagerChannel(settings, Map.of());
            String workflowId = NotifyTestData.workflowId();
            String link = NotifyTestData.link(workflowId);
            Notice started = NotifyTestData.recoveryStarted(workflowId);
            Delivery trigger = NotifyTestData.to(started, ChannelType.ALERTMANAGER, "default");

            // A retry after a crash posts the same trigger again: Alertmanager keeps one alert (same labels).
            assertEquals("alert RomaDrRecoveryStarted posted (200)", channel.send(trigger, link));
            assertEquals("alert RomaDrRecoveryStarted posted (200)", channel.send(trigger, link));
            List<JsonNode> active = alertsOf(am, workflowId);
            assertEquals(1, active.size(), "one alert for two identical posts: " + active);
            JsonNode alert = active.get(0);
            assertEquals("RomaDrRecoveryStarted", alert.path("labels").path("alertname").asText());
            assertEquals("recovery-started", alert.path("labels").path("roma_event").asText());
            assertEquals("critical", alert.path("labels").path("severity").asText());
            assertEquals(started.key(), alert.path("labels").path("roma_key").asText());
            assertEquals("sre-oncall", alert.path("labels").path("contact").asText());
            assertEquals("SRE on-call rotation", alert.path("labels").path("contact_role").asText());
            assertEquals(link, alert.path("generatorURL").asText());
            assertEquals("active", alert.path("status").path("state").asText());
            assertTrue(alert.path("annotations").path("description").asText().contains("RTO used 40%"),
                    alert.toString());

            MimeMessage firing = smtp.await(m -> subject(m).contains("FIRING") && text(m).contains(workflowId), 1,
                    MAIL_WAIT).get(0);
            String body = text(firing);
            assertTrue(subject(firing).contains("RomaDrRecoveryStarted"), subject(firing));
            for (String expected : List.of(NotifyTestData.PLAN, NotifyTestData.SCENARIO, started.title(), link,
                    "Watch the run")) {
                assertTrue(body.contains(expected), "the mail names " + expected + ":\n" + body);
            }
            assertEquals("True", firing.getHeader("X-Test-Tls")[0], "Alertmanager used STARTTLS");
            assertEquals("True", firing.getHeader("X-Test-Auth")[0], "Alertmanager authenticated");

            Notice resolved = NotifyTestData.recovered(started);
            assertEquals("resolution of alert RomaDrRecoveryStarted posted (200)",
                    channel.send(NotifyTestData.to(resolved, ChannelType.ALERTMANAGER, "default"), link));
            assertTrue(alertsOf(am, workflowId).isEmpty(), "the resolved alert is no longer active");
            MimeMessage resolvedMail = smtp.await(m -> subject(m).contains("RESOLVED") && text(m).contains(
                    workflowId), 1, MAIL_WAIT).get(0);
            assertTrue(text(resolvedMail).contains(resolved.title()), text(resolvedMail));
            assertEquals(1, smtp.messages().stream().filter(m -> subject(m).contains("FIRING")).count(),
                    "one firing mail for the twice-posted trigger: " + SmtpServerProcess.subjects(smtp.messages()));
        }
    }

    /** The alerts Alertmanager reports as current (GET /api/v2/alerts leaves out resolved ones) for one run. */
    private static List<JsonNode> alertsOf(AlertmanagerProcess am, String workflowId) {
        List<JsonNode> found = new ArrayList<>();
        StreamSupport.stream(am.alerts().spliterator(), false)
                .filter(a -> workflowId.equals(a.path("labels").path("workflow_id").asText()))
                .forEach(found::add);
        return found;
    }

    private static String subject(MimeMessage m) {
        try {
            return String.valueOf(m.getSubject());
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(MimeMessage m) {
        return SmtpServerProcess.text(m);
    }
}
