package io.romadr.runtime;

import io.romadr.notify.NotifyEvent;
import io.romadr.plan.Durations;
import io.romadr.report.StepOutcome;
import io.romadr.runtime.RomaSearchAttributes;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;

/**
 * Workflow-side: the one meaning of "RTO breached" for every scenario. A timer armed for what is left of the
 * budget marks the breach the moment the budget is spent (a BREACH step on the timeline, the RTO_BREACHED search
 * attribute), so a progress query shows it while the recovery runs; the recovery carries on.
 */
public final class RtoClock {
    private static final Logger log = Workflow.getLogger(RtoClock.class);

    /**
     * Version 1: Scenarios 2 and 4 run the live RTO timer (a timer command at the start); before it they compared
     * times after the fact.
     */
    public static final String LIVE_RTO_TIMER = "live-rto-timer";
    /**
     * Version 1: the RTO timer carries a summary ("RTO deadline 15m") and is cancelled once settled; before it, the
     * SDK's {@code Workflow.await(timeout, condition)}, whose timer histories recorded without the SDK's
     * cancel-on-resolve flag never cancel.
     */
    public static final String RTO_TIMER_SUMMARY = "rto-timer-summary";
    /**
     * Version 1: timers at 50% and 80% of the budget tell the plan's contacts (rto-50, rto-80). Armed only when the
     * plan routes the event, so a plan without such routes keeps the commands of before.
     */
    public static final String RTO_THRESHOLDS = "rto-thresholds";

    private final Steps steps;
    private long startedAt;
    private long budgetMillis;
    private BooleanSupplier settled = () -> false;
    private boolean breached;
    private Long breachedAt;
    private final Notifier notifier;
    /** The thresholds (percent of the budget) told or being timed now, each at most once per arming. */
    private final Set<Integer> thresholdsArmed = new HashSet<>();
    private final Set<Integer> thresholdsTold = new HashSet<>();
    private Boolean thresholds;

    /** A clock from {@code startedAt} (workflow time) that records its breach on {@code steps}. */
    public RtoClock(Steps steps, long startedAt) {
        this(steps, startedAt, null);
    }

    /** As {@link #RtoClock(Steps, long)}, telling {@code notifier}'s contacts at 50%, 80% and the breach. */
    public RtoClock(Steps steps, long startedAt, Notifier notifier) {
        this.steps = steps;
        this.startedAt = startedAt;
        this.notifier = notifier;
    }

    /**
     * The clock counts from {@code clockStart} (workflow time) instead of the time given at construction: the
     * incident's, see {@link IncidentClock}. Call before {@link #start}.
     */
    public void from(long clockStart) {
        this.startedAt = clockStart;
    }

    /**
     * Starts the clock with the plan's budget. {@code settled} says the service is back or the run has ended: the
     * timer then stops without a breach.
     */
    public void start(Duration budget, BooleanSupplier settled) {
        this.budgetMillis = budget.toMillis();
        this.settled = settled;
        arm();
    }

    /**
     * {@link #start} for the scenarios that compared times after the fact before {@link #LIVE_RTO_TIMER} (2 and 4):
     * their older histories replay without the timer.
     */
    public void startIfLive(Duration budget, BooleanSupplier settled) {
        if (Workflow.getVersion(LIVE_RTO_TIMER, Workflow.DEFAULT_VERSION, 1) >= 1) {
            start(budget, settled);
        }
    }

    /** (Re)arms the timer for what is left of the budget (after a relapse); past the deadline it is a breach at once. */
    public void arm() {
        if (breached) {
            return;
        }
        long remaining = startedAt + budgetMillis - Workflow.currentTimeMillis();
        if (remaining <= 0) {
            markBreach();
            return;
        }
        armThreshold(50, NotifyEvent.RTO_50);
        armThreshold(80, NotifyEvent.RTO_80);
        Async.procedure(() -> {
            Duration timeout = Duration.ofMillis(remaining);
            boolean summarized = Workflow.getVersion(RTO_TIMER_SUMMARY, Workflow.DEFAULT_VERSION, 1) >= 1;
            boolean settledInTime = summarized
                    ? settledBefore(timeout)
                    : Workflow.await(timeout, settled::getAsBoolean);
            if (!settledInTime && !breached) {
                markBreach();
            }
        });
    }

    /**
     * (Version 1 of {@link #RTO_THRESHOLDS}) A timer for {@code percent} of the budget that tells {@code event} when
     * it fires with the service not back; past that point already, it tells at once.
     */
    private void armThreshold(int percent, NotifyEvent event) {
        if (notifier == null || thresholdsTold.contains(percent) || thresholdsArmed.contains(percent)
                || !notifier.routes(event) || !thresholdsVersion()) {
            return;
        }
        long remaining = startedAt + budgetMillis * percent / 100 - Workflow.currentTimeMillis();
        if (remaining <= 0) {
            tellThreshold(percent, event);
            return;
        }
        thresholdsArmed.add(percent);
        Async.procedure(() -> {
            boolean settledInTime = settledBefore(Duration.ofMillis(remaining), "RTO " + percent + "% ("
                    + Durations.format(Duration.ofMillis(budgetMillis * percent / 100)) + ")");
            thresholdsArmed.remove(percent);
            if (!settledInTime && !breached) {
                tellThreshold(percent, event);
            }
        });
    }

    private boolean thresholdsVersion() {
        if (thresholds == null) {
            thresholds = Workflow.getVersion(RTO_THRESHOLDS, Workflow.DEFAULT_VERSION, 1) >= 1;
        }
        return thresholds;
    }

    private void tellThreshold(int percent, NotifyEvent event) {
        thresholdsTold.add(percent);
        long used = Workflow.currentTimeMillis() - startedAt;
        notifier.send(event, "roma-dr: " + percent + "% of the RTO used: " + notifier.subject() + " still running",
                "RTO " + Durations.format(Duration.ofMillis(budgetMillis)) + ", " + Durations.format(Duration.ofMillis(
                        used)) + " used; at step " + blankToDash(steps.current()) + ".",
                "Follow it: roma-dr status " + notifier.workflowId());
    }

    private static String blankToDash(String s) {
        return s.isEmpty() ? "-" : s;
    }

    /** {@code Workflow.await(timeout, settled)} with a summary on its timer: the Web UI shows "RTO deadline 15m". */
    private boolean settledBefore(Duration timeout) {
        return settledBefore(timeout, "RTO deadline " + Durations.format(Duration.ofMillis(budgetMillis)));
    }

    private boolean settledBefore(Duration timeout, String summary) {
        List<Promise<Void>> timer = new ArrayList<>(1);
        CancellationScope scope = Workflow.newCancellationScope(() -> timer.add(Workflow.newTimer(timeout,
                TimerOptions.newBuilder().setSummary(summary).build())));
        scope.run();
        Workflow.await(() -> timer.get(0).isCompleted() || settled.getAsBoolean());
        boolean fired = timer.get(0).isCompleted();
        scope.cancel();
        return !fired;
    }

    private void markBreach() {
        breached = true;
        breachedAt = Workflow.currentTimeMillis();
        steps.mark("rto-breached", StepOutcome.BREACH,
                "RTO of " + Durations.format(Duration.ofMillis(budgetMillis)) + " spent; recovery continues");
        Workflow.upsertTypedSearchAttributes(RomaSearchAttributes.RTO_BREACHED.valueSet(true));
        log.warn("RTO of {} breached", Durations.format(Duration.ofMillis(budgetMillis)));
        if (notifier != null) {
            notifier.send(NotifyEvent.RTO_BREACHED, "roma-dr: RTO of " + Durations.format(Duration.ofMillis(
                    budgetMillis)) + " BREACHED: " + notifier.subject() + " still running",
                    "The budget is spent; the recovery continues, at step " + blankToDash(steps.current()) + ".",
                    "Consider taking over by hand: roma-dr status " + notifier.workflowId());
        }
    }

    public boolean breached() {
        return breached;
    }

    /** Workflow time of the breach, null while the budget holds. */
    public Long breachedAt() {
        return breachedAt;
    }
}
