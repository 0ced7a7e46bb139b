package io.romadr.activities.git;

import java.time.Duration;

/** Short human durations for evidence text: "45s", "5m", "3h", "2h 5m", "4d 1h". */
final class Durations {
    private Durations() {
    }

    static String format(Duration d) {
        long s = d.getSeconds();
        long[] sizes = {86400, 3600, 60, 1};
        String[] units = {"d", "h", "m", "s"};
        // The largest unit and the next one: "2h 5m" (precise enough for a lag, and short).
        for (int i = 0; i < sizes.length; i++) {
            long n = s / sizes[i];
            if (n > 0) {
                long rest = i + 1 < sizes.length ? (s % sizes[i]) / sizes[i + 1] : 0;
                return n + units[i] + (rest > 0 ? " " + rest + units[i + 1] : "");
            }
        }
        return "0s";
    }
}
