package io.romadr.activities.notify;

import io.romadr.notify.ChannelType;
import io.romadr.notify.Delivery;
import io.romadr.notify.Notice;
import io.romadr.notify.NotifyEvent;
import io.romadr.notify.Recipient;
import java.util.UUID;

/** Notices and recipients as the workflows build them, for the channel tests. */
final class NotifyTestData {
    static final String PLAN = "roma";
    static final String SCENARIO = "service-failure";

    private NotifyTestData() {
    }

    /** A fresh workflow id per test, so parallel runs and repeated posts never share an alert identity. */
    static String workflowId() {
        return "roma-service-failure-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String link(String workflowId) {
        return "http://127.0.0.1:8233/namespaces/default/workflows/" + workflowId;
    }

    /** recovery-started of {@code workflowId}: 6 of 15 minutes of the RTO used (40%). */
    static Notice recoveryStarted(String workflowId) {
        return new Notice(workflowId + "/recovery-started", false, NotifyEvent.RECOVERY_STARTED, workflowId, PLAN,
                "recovery", SCENARIO, "restart-service", "roma: service-failure recovery started (alert RomaDown)",
                "The health check of roma-web failed 3 times.\nRestarting the container.",
                "Watch the run; nothing to do unless it escalates.", 15 * 60_000L, 6 * 60_000L,
                System.currentTimeMillis());
    }

    /** The resolution of {@link #recoveryStarted}: same key and opening event, resolve=true. */
    static Notice recovered(Notice opened) {
        return new Notice(opened.key(), true, opened.event(), opened.workflowId(), opened.plan(), opened.kind(),
                opened.scenario(), "verify", "roma: service-failure recovered in 7m", "roma-web is healthy again.",
                "", opened.rtoMillis(), 7 * 60_000L, System.currentTimeMillis());
    }

    static Delivery to(Notice notice, ChannelType channel, String target) {
        return new Delivery(notice, new Recipient("sre-oncall", "SRE on-call rotation", "On-call", channel, target));
    }
}
