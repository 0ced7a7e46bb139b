package io.romadr.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmarks' statistics, as docs/benchmarks.md reads them. */
class BenchmarkSupportTest {

    @Test
    void medianIsTheMiddleValueOrTheMeanOfTheTwoMiddleOnes() {
        assertEquals(20.0, BenchmarkSupport.median(List.of(30L, 10L, 20L)));
        assertEquals(25.0, BenchmarkSupport.median(List.of(40L, 10L, 30L, 20L)));
        assertEquals(1.5, BenchmarkSupport.median(List.of(2.0, 1.0)));
    }

    @Test
    void rankIsTheNearestRankPercentileOfSortedValues() {
        long[] sorted = BenchmarkSupport.sorted(List.of(5L, 1L, 4L, 2L, 3L, 10L, 9L, 8L, 7L, 6L));
        assertArrayEquals(new long[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, sorted);
        assertEquals(9, BenchmarkSupport.rank(sorted, 0.9));
        assertEquals(5, BenchmarkSupport.rank(sorted, 0.5));
        assertEquals(10, BenchmarkSupport.rank(sorted, 0.99));
        assertEquals(5.5, BenchmarkSupport.mean(List.of(1L, 10L)));
    }
}
