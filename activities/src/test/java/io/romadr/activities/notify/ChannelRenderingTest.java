package io.romadr.activities.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.notify.ChannelType;
import io.romadr.notify.NotifyEvent;
import io.romadr.notify.Notice;
import io.romadr.notify.Recipient;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the Alertmanager and e-mail channels render a notice (the servers' side is in the integration tests). */
class ChannelRenderingTest {
    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");

    @Test
    void alertnamesAreCamelCaseOfTheEvent() {
        assertEquals("RomaDrRecoveryStarted", AlertmanagerChannel.alertname(NotifyEvent.RECOVERY_STARTED));
        assertEquals("RomaDrRto80", AlertmanagerChannel.alertname(NotifyEvent.RTO_80));
        assertEquals("RomaDrBackupStale", AlertmanagerChannel.alertname(NotifyEvent.BACKUP_STALE));
    }

    @Test
    void triggerAndResolutionHaveTheSameLabelsAndTheirOwnTimes() {
        Notice started = NotifyTestData.recoveryStarted("wf-1");
        Recipient to = NotifyTestData.to(started, ChannelType.ALERTMANAGER, "default").to();
        JsonNode trigger = AlertmanagerChannel.body(started, to, "http://ui/wf-1", NOW).get(0);
        JsonNode resolution = AlertmanagerChannel.body(NotifyTestData.recovered(started), to, "http://ui/wf-1", NOW)
                .get(0);

        assertEquals(trigger.get("labels"), resolution.get("labels"));
        assertEquals(Map.of("alertname", "RomaDrRecoveryStarted", "roma_event", "recovery-started", "severity",
                "critical", "plan", "roma", "scenario", "service-failure", "workflow_id", "wf-1", "roma_key",
                "wf-1/recovery-started", "contact", "sre-oncall", "contact_role", "SRE on-call rotation"),
                new ObjectMapper().convertValue(trigger.get("labels"), Map.class));
        // Opened: held a day ahead so resolve_timeout does not end it; resolved: ends now.
        assertEquals(NOW.plus(AlertmanagerChannel.OPEN_HOLD).toString(), trigger.get("endsAt").asText());
        assertEquals(NOW.toString(), resolution.get("endsAt").asText());
        assertEquals("http://ui/wf-1", trigger.get("generatorURL").asText());
        assertEquals(started.title(), trigger.at("/annotations/summary").asText());
        assertTrue(trigger.at("/annotations/description").asText()
                .endsWith("Step: restart-service\nRTO used 40%"), trigger.toString());
        assertEquals(started.nextAction(), trigger.at("/annotations/next_action").asText());
    }

    @Test
    void informationalEventsExpireAndEmptyLabelsAreLeftOut() {
        Notice recovered = new Notice("wf-2/recovered", false, NotifyEvent.RECOVERED, "wf-2", "roma", "recovery", "",
                "", "roma recovered", "", "", 0, 0, NOW.toEpochMilli());
        Recipient to = new Recipient("lead", "", "", ChannelType.ALERTMANAGER, "");
        JsonNode alert = AlertmanagerChannel.body(recovered, to, "", NOW).get(0);
        assertEquals(NOW.toString(), alert.get("startsAt").asText());
        assertEquals(NOW.plus(AlertmanagerChannel.INFO_HOLD).toString(), alert.get("endsAt").asText());
        assertFalse(alert.get("labels").has("scenario"));
        assertFalse(alert.get("labels").has("contact_role"));
        assertFalse(alert.has("generatorURL"));
        assertFalse(alert.get("annotations").has("description"));
    }

    @Test
    void mailSubjectAndBody() {
        Notice started = NotifyTestData.recoveryStarted("wf-3");
        assertEquals("[roma-dr] CRITICAL " + started.title(), EmailChannel.subject(started));
        assertEquals("[roma-dr] RESOLVED roma: service-failure recovered in 7m",
                EmailChannel.subject(NotifyTestData.recovered(started)));
        Notice multiLine = new Notice("k", false, NotifyEvent.RTO_80, "wf", "roma", "recovery", "", "", "a\r\nb", "",
                "", 0, 0, 0);
        assertEquals("[roma-dr] CRITICAL a b", EmailChannel.subject(multiLine), "no header injection");
        String body = EmailChannel.body(started, NotifyTestData.to(started, ChannelType.EMAIL,
                "x@example.org").to(), "http://ui/wf-3");
        assertTrue(body.contains("RTO used:  40% (6m00s of 15m00s)"), body);
        assertTrue(body.contains("To:        sre-oncall (SRE on-call rotation)"), body);
        assertTrue(body.contains("Web UI: http://ui/wf-3"), body);
    }
}
