package io.romadr.bench;

import java.util.Arrays;
import java.util.List;

/** What the benchmarks share: the median of each column of their rounds, the printed command line, a pause. */
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
