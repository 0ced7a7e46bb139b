package io.romadr.notify;

import io.romadr.plan.ContactChannels;
import io.romadr.plan.ContactSpec;
import io.romadr.plan.NotifyRoute;
import io.romadr.plan.NotifySpec;
import io.romadr.plan.RecoveryPlan;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The workflow tests' {@link NotificationActivities}: records every delivery and delivers, fails (a channel that is
 * down) or hangs (a channel that never answers, until the activity's timeout). Register it with the test's other
 * activities; {@link #withRoutes} gives a plan whose routes send every event to the on-call.
 */
public final class FakeNotifications implements NotificationActivities {
    public enum Mode {
        DELIVER, FAIL, HANG
    }

    /** The on-call: paged through PagerDuty for every event, messaged on Slack when a recovery ends well. */
    public static final Recipient ONCALL_PAGER = new Recipient("sre-oncall", "SRE On-Call", "rotation",
            ChannelType.PAGERDUTY, "sre");
    public static final Recipient ONCALL_SLACK = new Recipient("sre-oncall", "SRE On-Call", "rotation",
            ChannelType.SLACK, "sre-incidents");
    /** The engineering lead: e-mailed at RTO 80% and when a recovery fails. */
    public static final Recipient LEAD_EMAIL = new Recipient("eng-lead", "Engineering Lead", "Lee",
            ChannelType.EMAIL, "lead@example.com");

    private final Mode mode;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    public FakeNotifications(Mode mode) {
        this.mode = mode;
    }

    public FakeNotifications() {
        this(Mode.DELIVER);
    }

    @Override
    public DeliveryResult deliver(Delivery delivery) {
        deliveries.add(delivery);
        int attempt = Activity.getExecutionContext().getInfo().getAttempt();
        switch (mode) {
            case FAIL -> throw ApplicationFailure.newFailure(delivery.to().describe() + ": connection refused",
                    "ConnectException");
            case HANG -> {
                try {
                    release.await(5, TimeUnit.MINUTES); // past any timeout; the test releases it when done
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw ApplicationFailure.newFailure("released", "Released");
            }
            default -> {
            }
        }
        return new DeliveryResult(delivery.to(), System.currentTimeMillis(), attempt, "202 accepted");
    }

    /** Every call so far, retries included, in order. */
    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The distinct notices sent (a retried call counts once), in order: "key event" or "key event resolved". */
    public List<String> notices() {
        return deliveries.stream().map(d -> d.notice().key() + " " + d.notice().event().id()
                + (d.notice().resolve() ? " resolved" : "") + " -> " + d.to().describe()).distinct().toList();
    }

    /** Ends the hung calls. */
    public void release() {
        release.countDown();
    }

    /**
     * {@code plan} with the on-call and the engineering lead as contacts and routes: every event to the on-call's
     * pager; recovered also to the on-call's Slack; rto-80 and failed also to the lead by e-mail.
     */
    public static RecoveryPlan withRoutes(RecoveryPlan plan) {
        List<ContactSpec> contacts = List.of(
                new ContactSpec("sre-oncall", "SRE On-Call", "rotation", null, null, null,
                        new ContactChannels(null, "sre", "sre-incidents", null, null)),
                new ContactSpec("eng-lead", "Engineering Lead", "Lee", null, null, null,
                        new ContactChannels(null, null, null, List.of("lead@example.com"), null)));
        List<String> every = java.util.Arrays.stream(NotifyEvent.values()).map(NotifyEvent::id).toList();
        NotifySpec routes = new NotifySpec(List.of(
                new NotifyRoute(every, List.of("sre-oncall"), List.of("pagerduty"), null),
                new NotifyRoute(List.of("recovered"), List.of("sre-oncall"), List.of("slack"), null),
                new NotifyRoute(List.of("rto-80", "failed"), List.of("eng-lead"), null, null)));
        return new RecoveryPlan(plan.name(), plan.description(), plan.service(), plan.rto(), plan.rpo(),
                plan.recovery(), plan.backup(), plan.site(), contacts, routes);
    }
}
