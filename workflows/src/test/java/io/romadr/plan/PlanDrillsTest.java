package io.romadr.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The plan's {@code drills:} calendar: every refusal with its {@code file:line: field:}, and the shipped plan's. */
class PlanDrillsTest {
    private final PlanLoader loader = new PlanLoader();

    /** Line numbers below refer to this plan (PlanLoaderTest.MINIMAL is lines 1-10). */
    static final String BASE = PlanLoaderTest.MINIMAL + """
            drills:
              service-failure:
                schedule: "0 10 1 * *"
                operator: alice
              git-loss:
                schedule: "30 9 1 6 *"
                timeZone: Europe/Berlin
                objective: Restore the primary
                fault: force-push
                coordinator: carol
                operator: bob
                observer: dave
                manager: erin
                rtoTarget: 4h
                signOffTimeout: 48h
                notifyBefore: 7d
            """;

    @Test
    void theBaseLoadsWithDefaultsForWhatIsLeftOut() {
        RecoveryPlan plan = loader.parse("demo.yaml", BASE);
        assertEquals(List.of("service-failure", "git-loss"), List.copyOf(plan.drills().byScenario().keySet()));
        DrillCalendarEntry s1 = plan.drills().serviceFailure();
        assertEquals("0 10 1 * *", s1.schedule());
        assertEquals("UTC", s1.timeZone());
        assertEquals("", s1.objective());
        assertEquals("", s1.fault());
        assertEquals("alice", s1.operator());
        assertEquals("", s1.observer());
        assertEquals(null, s1.rtoTarget());
        assertEquals(Duration.ofHours(24), s1.signOffTimeout());
        assertEquals(Duration.ofDays(1), s1.notifyBefore());
        DrillCalendarEntry s4 = plan.drills().gitLoss();
        assertEquals("Europe/Berlin", s4.timeZone());
        assertEquals("force-push", s4.fault());
        assertEquals("carol", s4.coordinator());
        assertEquals("erin", s4.manager());
        assertEquals(Duration.ofHours(4), s4.rtoTarget());
        assertEquals(Duration.ofHours(48), s4.signOffTimeout());
        assertEquals(Duration.ofDays(7), s4.notifyBefore());
    }

    @Test
    void aPlanWithoutDrillsHasAnEmptyCalendar() {
        assertTrue(loader.parse("demo.yaml", PlanLoaderTest.MINIMAL).drills().byScenario().isEmpty());
    }

    @Test
    void theShippedPlanCarriesTheSeedsCalendar() {
        RecoveryPlan plan = loader.load(repoRoot().resolve("deploy/plans/roma.yaml"));
        DrillsSpec drills = plan.drills();
        assertEquals(List.of("service-failure", "data-corruption", "site-loss", "git-loss"),
                List.copyOf(drills.byScenario().keySet()));
        // Seed: monthly from 2025-12-01, quarterly from 2026-01-15, annually from 2026-03-01 and from 2026-06-01.
        assertEquals(List.of("2025-12-01T10:00Z[UTC]", "2026-01-01T10:00Z[UTC]"),
                fires(drills.serviceFailure(), "2025-11-30T00:00Z[UTC]", 2));
        assertEquals(List.of("2026-01-15T10:00Z[UTC]", "2026-04-15T10:00Z[UTC]", "2026-07-15T10:00Z[UTC]",
                "2026-10-15T10:00Z[UTC]"), fires(drills.dataCorruption(), "2025-12-02T00:00Z[UTC]", 4));
        assertEquals(List.of("2026-03-01T10:00Z[UTC]", "2027-03-01T10:00Z[UTC]"),
                fires(drills.siteLoss(), "2025-12-02T00:00Z[UTC]", 2));
        assertEquals(List.of("2026-06-01T10:00Z[UTC]", "2027-06-01T10:00Z[UTC]"),
                fires(drills.gitLoss(), "2025-12-02T00:00Z[UTC]", 2));
        assertEquals("kill", drills.serviceFailure().fault());
        assertEquals("[operator]", drills.serviceFailure().operator());
    }

    private static List<String> fires(DrillCalendarEntry entry, String from, int n) {
        CronExpression cron = CronExpression.parse(entry.schedule());
        ZonedDateTime t = ZonedDateTime.parse(from).withZoneSameInstant(ZoneId.of(entry.timeZone()));
        List<String> all = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            t = cron.next(t);
            all.add(t.toString());
        }
        return all;
    }

    @Test
    void periodsOfTheSeedsFrequencies() {
        ZonedDateTime from = ZonedDateTime.parse("2026-12-07T00:00Z[UTC]");
        assertEquals(Duration.ofDays(31), CronExpression.parse("0 10 1 * *").period(from));
        assertEquals(Duration.ofDays(92), CronExpression.parse("0 10 15 1,4,7,10 *").period(from));
        assertEquals(Duration.ofDays(366), CronExpression.parse("0 10 1 3 *").period(from));
        assertEquals(Duration.ofDays(7), CronExpression.parse("0 9 * * 1").period(from));
        assertEquals(Duration.ofMinutes(15), CronExpression.parse("*/15 * * * *").period(from));
    }

    @Test
    void aCalendarReadInItsZoneFollowsDaylightSaving() {
        CronExpression cron = CronExpression.parse("0 10 * * 0");
        ZonedDateTime t = cron.next(ZonedDateTime.parse("2026-03-23T00:00+01:00[Europe/Berlin]"));
        assertEquals("2026-03-29T10:00+02:00[Europe/Berlin]", t.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0 10 1 *|expected 5 cron fields",
            "0 10 1 * * *|expected 5 cron fields",
            "60 10 1 * *|the minute must be 0-59, got 60",
            "0 24 1 * *|the hour must be 0-23, got 24",
            "0 10 0 * *|the day of month must be 1-31, got 0",
            "0 10 1 13 *|the month must be 1-12, got 13",
            "0 10 * * 7|the day of week must be 0-6, got 7",
            "0 10 1 JAN *|the month field takes numbers 1-12",
            "0 10 L * *|the day of month field takes numbers",
            "@monthly|expected 5 cron fields",
            "0 10 5-1 * *|runs backwards",
            "0 10 1-2-3 * *|is not a number",
            "0 10 */0 * *|the day of month must be 1-31, got 0",
            "0 10 1 * 1|restrict the day of month or the day of week, not both",
            "0 10 31 2 *|never fires",
            "0 10 1, * *|the day of month field takes numbers"})
    void aBadScheduleIsRefusedWithItsLine(String cron, String part) {
        refused(BASE.replace("\"0 10 1 * *\"", "\"" + cron + "\""), 13, "drills.service-failure.schedule", part);
    }

    @Test
    void aMissingScheduleIsRequired() {
        refused(BASE.replace("    schedule: \"0 10 1 * *\"\n", ""), 12, "drills.service-failure.schedule",
                "is required");
    }

    @Test
    void anEmptyScheduleIsRefused() {
        refused(BASE.replace("\"0 10 1 * *\"", "\"\""), 13, "drills.service-failure.schedule", "must not be empty");
    }

    @Test
    void anUnknownTimeZoneIsRefused() {
        refused(BASE.replace("Europe/Berlin", "Europe/Atlantis"), 17, "drills.git-loss.timeZone",
                "unknown time zone \"Europe/Atlantis\"; expected an IANA zone");
        refused(BASE.replace("Europe/Berlin", "\"+02:00\""), 17, "drills.git-loss.timeZone", "unknown time zone");
    }

    @Test
    void anUnknownScenarioIsRefusedWithTheKnownOnes() {
        PlanException e = refused(BASE.replace("git-loss:", "gitloss:"), 15, "drills.gitloss",
                "unknown field \"gitloss\"; known fields here: [");
        for (String scenario : NotifyNames.DRILL_SCENARIOS) {
            assertTrue(e.problem().contains(scenario), e.getMessage());
        }
    }

    @Test
    void anUnknownFieldOfADrillIsRefused() {
        refused(BASE.replace("operator: alice", "operater: alice"), 14, "drills.service-failure.operater",
                "unknown field \"operater\"");
    }

    @Test
    void badDurationsAndTextsAreRefused() {
        refused(BASE.replace("rtoTarget: 4h", "rtoTarget: 0s"), 24, "drills.git-loss.rtoTarget",
                "must be longer than 0");
        refused(BASE.replace("rtoTarget: 4h", "rtoTarget: soon"), 24, "drills.git-loss.rtoTarget",
                "expected a duration");
        refused(BASE.replace("signOffTimeout: 48h", "signOffTimeout: 30s"), 25, "drills.git-loss.signOffTimeout",
                "must be at least 1m");
        refused(BASE.replace("notifyBefore: 7d", "notifyBefore: -1d"), 26, "drills.git-loss.notifyBefore",
                "cannot be negative");
        refused(BASE.replace("objective: Restore the primary", "objective: \"a\\nb\""), 18,
                "drills.git-loss.objective", "must be one line");
        refused(BASE.replace("manager: erin", "manager: " + "x".repeat(201)), 23, "drills.git-loss.manager",
                "at most 200 characters");
        refused(BASE.replace("operator: alice", "operator: [alice, bob]"), 14, "drills.service-failure.operator",
                "expected a single value");
    }

    @Test
    void aDrillsSectionThatIsNotAMappingIsRefused() {
        refused(PlanLoaderTest.MINIMAL + "drills: [service-failure]\n", 11, "drills",
                "expected a mapping of fields");
    }

    private PlanException refused(String text, int line, String field, String part) {
        PlanException e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml", text));
        String prefix = "demo.yaml:" + line + ": " + field + ": ";
        assertTrue(e.getMessage().startsWith(prefix), "expected " + prefix + "... got " + e.getMessage());
        assertTrue(e.problem().contains(part), "expected \"" + part + "\" in " + e.getMessage());
        return e;
    }

    private static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !p.resolve("deploy/plans/roma.yaml").toFile().exists()) {
            p = p.getParent();
        }
        return p;
    }
}
