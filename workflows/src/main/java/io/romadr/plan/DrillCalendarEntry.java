package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;

/**
 * One drill of the plan's calendar (seed: "Recovery Drills Schedule" and the drill checklist): when it runs, what it
 * tests, the fault it injects, who takes part, and its deadlines. {@code roma-dr schedules apply} turns it into a
 * Temporal Schedule starting a {@code DrillWorkflow}.
 *
 * @param schedule       a 5-field cron expression ({@link CronExpression}), checked when the plan is loaded
 * @param timeZone       the IANA zone the cron expression is read in (default UTC), checked when the plan is loaded
 * @param objective      Results: Objective of the drill report ("" : worded from the scenario)
 * @param fault          the fault to inject ("" : the scenario's default)
 * @param coordinator    seed roles ("" : not assigned)
 * @param operator       seed roles
 * @param observer       seed roles
 * @param manager        signs off last
 * @param rtoTarget      the success criterion; null: the plan's RTO for the scenario
 * @param signOffTimeout how long the drill waits for its sign-offs (default 24h)
 * @param notifyBefore   how long before the drill the team gets {@code drill-upcoming} (default 1d; 0: no notice)
 * @param alerting       true: an alerting drill (service-failure only): the recovery is left to the monitoring's
 *                       alert and the worker host's webhook, the delays measured (default false)
 */
public record DrillCalendarEntry(
        @JsonProperty(required = true) String schedule,
        String timeZone,
        String objective,
        String fault,
        String coordinator,
        String operator,
        String observer,
        String manager,
        @JsonDeserialize(using = DurationDeserializer.class) Duration rtoTarget,
        @JsonDeserialize(using = DurationDeserializer.class) Duration signOffTimeout,
        @JsonDeserialize(using = DurationDeserializer.class) Duration notifyBefore,
        Boolean alerting) {

    public static final String DEFAULT_TIME_ZONE = "UTC";
    public static final Duration DEFAULT_SIGN_OFF_TIMEOUT = Duration.ofHours(24);
    public static final Duration DEFAULT_NOTIFY_BEFORE = Duration.ofDays(1);
    private static final int MAX_TEXT = 200;

    public DrillCalendarEntry {
        InvalidFieldException.requireText(schedule, "schedule");
        timeZone = timeZone == null ? DEFAULT_TIME_ZONE : timeZone;
        objective = oneLine(objective, "objective");
        fault = oneLine(fault, "fault");
        coordinator = oneLine(coordinator, "coordinator");
        operator = oneLine(operator, "operator");
        observer = oneLine(observer, "observer");
        manager = oneLine(manager, "manager");
        InvalidFieldException.require(rtoTarget == null || !rtoTarget.isZero(), "rtoTarget",
                "must be longer than 0 (leave it out to use the plan's RTO for the scenario)");
        signOffTimeout = signOffTimeout == null ? DEFAULT_SIGN_OFF_TIMEOUT : signOffTimeout;
        InvalidFieldException.require(signOffTimeout.compareTo(Duration.ofMinutes(1)) >= 0, "signOffTimeout",
                "must be at least 1m (the operator, observer and manager need time to sign)");
        notifyBefore = notifyBefore == null ? DEFAULT_NOTIFY_BEFORE : notifyBefore;
        alerting = Boolean.TRUE.equals(alerting);
    }

    /** Report text: one line, at most {@value #MAX_TEXT} characters; absent is "". */
    private static String oneLine(String value, String field) {
        if (value == null) {
            return "";
        }
        InvalidFieldException.require(value.length() <= MAX_TEXT, field,
                "must be at most " + MAX_TEXT + " characters (it is one line of the drill report)");
        InvalidFieldException.require(value.lines().count() <= 1, field,
                "must be one line (it is one line of the drill report)");
        return value.strip();
    }
}
