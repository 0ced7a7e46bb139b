package io.romadr.bench;

import java.util.Arrays;
import java.util.List;

/** What the benchmarks share: their statistics (medians, percentiles, means), the printed command line, a pause. */
public final class BenchmarkSupport {
    private BenchmarkSupport() {
    }

    /** The median of each of the first {@code columns} columns of {@code rows} (the upper one for an even count). */
    public static double[] columnMedians(List<double[]> rows, int columns) {
        double[] medians = new double[columns];
        for (int c = 0; c < columns; c++) {
            int column = c;
            double[] values = rows.stream().mapToDouble(r -> r[column]).toArray();
            Arrays.sort(values);
            medians[c] = values[values.length / 2];
        }
        return medians;
    }

    /** The values sorted ascending. */
    public static long[] sorted(List<Long> v) {
        long[] s = v.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(s);
        return s;
    }

    /** Nearest-rank percentile ({@code q} in (0, 1]) of sorted values. */
    public static long rank(long[] sorted, double q) {
        int r = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, r - 1)];
    }

    /** The median: the middle value, or the mean of the two middle ones for an even count. */
    public static double median(List<? extends Number> v) {
        double[] s = v.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    public static double mean(List<Long> v) {
        return v.stream().mapToLong(Long::longValue).average().orElse(0);
    }

    /** The command line printed with the results: the script's (ROMA_BENCH_COMMAND), else the java one. */
    public static String command(Class<?> benchmark, String[] args) {
        return System.getenv().getOrDefault("ROMA_BENCH_COMMAND",
                "java -cp drills/target/roma-dr-drills.jar " + benchmark.getName() + " " + String.join(" ", args));
    }

    /** The poll interval of a loop with a deadline. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
