package io.romadr.scenario.drill;

import io.romadr.report.StepRecord;
import java.util.List;

/**
 * What one notice run did.
 *
 * @param plan        the plan
 * @param windowStart epoch millis: notices due after this ...
 * @param windowEnd   ... up to this (inclusive) were sent by this run
 * @param announced   one line per drill announced ("site-loss on 2027-03-10T09:00+01:00[Europe/Berlin]")
 * @param timeline    the run's steps (the plan loaded, the deliveries)
 */
public record DrillNoticeReport(String plan, long windowStart, long windowEnd, List<String> announced,
        List<StepRecord> timeline) {
    public DrillNoticeReport {
        announced = announced == null ? List.of() : List.copyOf(announced);
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }
}
