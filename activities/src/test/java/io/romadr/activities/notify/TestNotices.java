package io.romadr.activities.notify;

import io.romadr.notify.ChannelType;
import io.romadr.notify.Delivery;
import io.romadr.notify.Notice;
import io.romadr.notify.NotifyEvent;
import io.romadr.notify.Recipient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Notices as the workflows build them, and secret files, for the channel tests. */
final class TestNotices {
    static final String WORKFLOW_ID = "recovery-roma-service-failure-1765070000";
    static final String LINK = "http://127.0.0.1:8233/namespaces/default/workflows/" + WORKFLOW_ID;
    static final String APPROVE = "roma-dr approve " + WORKFLOW_ID + " --step recreate-container";

    private TestNotices() {
    }

    static Notice opening(NotifyEvent event) {
        return new Notice(WORKFLOW_ID + "/" + event.id(), false, event, WORKFLOW_ID, "roma", "recovery",
                "service-failure", "restart-container", "roma: service-failure recovery " + event.id(),
                "The health check failed 3 times; restart did not heal the container.",
                "Approve the recreate or deny it:\n" + APPROVE, Duration.ofMinutes(15).toMillis(), Duration
                        .ofSeconds(378).toMillis(),
                1_765_070_378_000L);
    }

    static Notice resolution(Notice opened) {
        return new Notice(opened.key(), true, opened.event(), opened.workflowId(), opened.plan(), opened.kind(),
                opened.scenario(), opened.step(), opened.title(), "The service is healthy again.", "", opened
                        .rtoMillis(),
                opened.elapsedMillis() + 60_000, opened.at() + 60_000);
    }

    static Delivery to(Notice notice, ChannelType channel, String target) {
        return new Delivery(notice, new Recipient("sre-oncall", "SRE on-call rotation", "On-call", channel, target));
    }

    static NotificationSettings.SecretRef secretFile(Path dir, String name, String value) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
        return new NotificationSettings.SecretRef(file.toString(), null);
    }

    static NotificationSettings settings(Duration timeout, NotificationSettings.PagerDutySettings pagerduty,
            java.util.Map<String, NotificationSettings.SecretRef> slack,
            java.util.Map<String, NotificationSettings.WebhookTarget> webhooks) {
        return new NotificationSettings("http://127.0.0.1:8233", timeout, null, pagerduty, slack, null, webhooks);
    }
}
