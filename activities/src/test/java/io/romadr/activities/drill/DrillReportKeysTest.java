package io.romadr.activities.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.objectstore.ObjectStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The drill reports' object keys: safe segments, unchanged when already safe, never shared by two drill ids. */
class DrillReportKeysTest {

    @Test
    void aSafeNameIsKeptAsItIs() {
        assertEquals("2026-12-07-service-failure-roma-dr-drill-service-failure-roma_1.2",
                DrillReportStore.segment("2026-12-07-service-failure-roma-dr-drill-service-failure-roma_1.2"));
    }

    @Test
    void unsafeDotOnlyEmptyOrLongNamesBecomeSafeDistinctSegments() {
        List<String> raw = List.of("a/b", "a:b", "a_b-x", "..", ".", "", ".hidden", "x".repeat(400),
                "x".repeat(399) + "y", "drill id\\with\0odd\u00e9chars");
        List<String> segments = raw.stream().map(DrillReportStore::segment).toList();
        for (String s : segments) {
            assertTrue(s.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*"), s);
            assertTrue(s.length() <= DrillReportStore.MAX_NAME, s.length() + ": " + s);
            ObjectStore.checkKey("drills/roma/" + s + ".json");
        }
        assertEquals(segments.size(), segments.stream().distinct().count(), segments.toString());
        assertNotEquals(DrillReportStore.segment("a:b"), DrillReportStore.segment("a_b"));
        assertEquals(DrillReportStore.segment("a:b"), DrillReportStore.segment("a:b"), "the same id, the same key");
    }
}
