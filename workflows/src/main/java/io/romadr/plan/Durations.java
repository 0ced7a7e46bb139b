package io.romadr.plan;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations SREs write in plans ("90s", "15m", "1h30m", "7d") and ISO-8601 ("PT15M"). */
public final class Durations {
    private static final Pattern HUMAN = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    /** No plan duration is longer than this; a bigger number is a typo and would overflow Temporal's timers. */
    public static final Duration MAX = Duration.ofDays(3650);

    private Durations() {
    }

    /** @throws IllegalArgumentException with a message fit for an SRE when the text is not a duration. */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected a duration such as 30s, 15m, 1h30m or 7d, got nothing");
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("-")) {
            throw new IllegalArgumentException("a duration cannot be negative, got \"" + text + "\"");
        }
        if (t.startsWith("p") || t.startsWith("-p")) {
            try {
                return inRange(Duration.parse(t.toUpperCase(Locale.ROOT)), text);
            } catch (IllegalRangeException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("expected an ISO-8601 duration such as PT15M, got \"" + text + "\"");
            }
        }
        Matcher m = HUMAN.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            end = m.end();
        }
        if (end == 0 || end != t.length()) {
            if (t.equals("0")) {
                return Duration.ZERO;
            }
            throw new IllegalArgumentException(
                    "expected a duration such as 30s, 15m, 1h30m or 7d, got \"" + text + "\"");
        }
        return inRange(total, text);
    }

    /** Decimal seconds, as Temporal's mapper writes durations and as a plan may give them ({@code timeout: 5}). */
    public static Duration ofSeconds(java.math.BigDecimal seconds, String text) {
        if (seconds.signum() < 0) {
            throw new IllegalRangeException("a duration cannot be negative, got " + text);
        }
        if (seconds.compareTo(java.math.BigDecimal.valueOf(MAX.getSeconds())) > 0) {
            throw new IllegalRangeException("expected at most " + format(MAX) + ", got " + text);
        }
        return Duration.ofNanos(seconds.movePointRight(9).setScale(0, java.math.RoundingMode.DOWN).longValueExact());
    }

    /** The shortest human form, e.g. "1h30m", "15m", "2s", "250ms". */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long days = d.toDays();
        if (days > 0)
            sb.append(days).append('d');
        if (d.toHoursPart() > 0)
            sb.append(d.toHoursPart()).append('h');
        if (d.toMinutesPart() > 0)
            sb.append(d.toMinutesPart()).append('m');
        if (d.toSecondsPart() > 0)
            sb.append(d.toSecondsPart()).append('s');
        if (d.toMillisPart() > 0)
            sb.append(d.toMillisPart()).append("ms");
        return sb.toString();
    }

    private static Duration inRange(Duration d, String text) {
        if (d.isNegative()) {
            throw new IllegalRangeException("a duration cannot be negative, got \"" + text + "\"");
        }
        if (d.compareTo(MAX) > 0) {
            throw new IllegalRangeException("expected at most " + format(MAX) + ", got \"" + text + "\"");
        }
        return d;
    }

    /** A well-formed duration outside what a plan can mean; its message is already the whole story. */
    private static final class IllegalRangeException extends IllegalArgumentException {
        IllegalRangeException(String message) {
            super(message);
        }
    }
}
