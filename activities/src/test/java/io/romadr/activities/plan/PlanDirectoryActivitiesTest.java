package io.romadr.activities.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.romadr.plan.PlanRepository;
import io.romadr.plan.RecoveryPlan;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanDirectoryActivitiesTest {
    static final String PLAN = """
            name: demo
            service:
              composeProject: demo
              containers:
                - service: web
              healthChecks:
                - name: web-http
                  http: { url: "http://127.0.0.1:8080/health" }
            rto:
              service: %s
            """;

    @TempDir
    Path dir;

    private Path write(String rto, Instant modified) throws Exception {
        Path file = dir.resolve("demo.yaml");
        Files.writeString(file, PLAN.formatted(rto));
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    @Test
    void anUnchangedPlanIsParsedOnceAndAnEditedOneIsReadAfresh() throws Exception {
        PlanDirectoryActivities activities = new PlanDirectoryActivities(new PlanRepository(dir));
        Instant earlier = Instant.now().minusSeconds(60);
        write("15m", earlier);
        RecoveryPlan first = activities.loadPlan("demo");
        assertEquals(Duration.ofMinutes(15), first.rto().service());
        assertSame(first, activities.loadPlan("demo"), "an unchanged file is not parsed again");

        // Same size, later modification time: the edit is seen.
        write("20m", earlier.plusSeconds(1));
        RecoveryPlan edited = activities.loadPlan("demo");
        assertEquals(Duration.ofMinutes(20), edited.rto().service());

        // A longer file with the very same modification time: the size tells the edit.
        write("120m", earlier.plusSeconds(1));
        assertEquals(Duration.ofMinutes(120), activities.loadPlan("demo").rto().service());
    }

    @Test
    void aPlanWrittenJustNowIsNotKeptSoASecondEditInTheSameClockTickIsSeen() throws Exception {
        PlanDirectoryActivities activities = new PlanDirectoryActivities(new PlanRepository(dir));
        Instant now = Instant.now();
        write("15m", now);
        RecoveryPlan first = activities.loadPlan("demo");
        RecoveryPlan again = activities.loadPlan("demo");
        assertNotSame(first, again);
        write("20m", now);
        assertEquals(Duration.ofMinutes(20), activities.loadPlan("demo").rto().service());
    }

    @Test
    void anInvalidPlanFailsWithTheLoadersErrorEveryTimeAndItsFixIsSeen() throws Exception {
        PlanDirectoryActivities activities = new PlanDirectoryActivities(new PlanRepository(dir));
        Instant earlier = Instant.now().minusSeconds(60);
        write("soon", earlier);
        ApplicationFailure e1 = assertThrows(ApplicationFailure.class, () -> activities.loadPlan("demo"));
        ApplicationFailure e2 = assertThrows(ApplicationFailure.class, () -> activities.loadPlan("demo"));
        assertEquals("InvalidPlan", e1.getType());
        assertEquals(e1.getOriginalMessage(), e2.getOriginalMessage());
        write("15m", earlier.plusSeconds(1));
        assertEquals(Duration.ofMinutes(15), activities.loadPlan("demo").rto().service());

        ApplicationFailure missing = assertThrows(ApplicationFailure.class, () -> activities.loadPlan("other"));
        assertEquals("PlanNotFound", missing.getType());
    }
}
