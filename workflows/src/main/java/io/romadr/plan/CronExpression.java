package io.romadr.plan;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.BitSet;
import java.util.List;

/**
 * The 5-field cron subset a plan's drill calendar accepts: {@code minute hour day-of-month month day-of-week}, each
 * {@code *}, a number, a range {@code a-b}, a step {@code *}/{@code n} or {@code a-b/n}, or a comma list of those;
 * numbers only (no names, no {@code ? L W #}, no {@code @monthly}). Temporal Schedules read the same text, so only what
 * both read the same way is accepted: restricting both the day of month and the day of week is refused, since cron
 * then runs on either (a classic surprise). Also computes the fire times, for "next" and "overdue".
 */
public final class CronExpression {
    private static final String[] NAMES = {"minute", "hour", "day of month", "month", "day of week"};
    private static final int[] MIN = {0, 0, 1, 1, 0};
    private static final int[] MAX = {59, 23, 31, 12, 6};
    /** Fire times are searched this far ahead: a 5-field cron fires at least once in 8 years (Feb 29). */
    private static final int SEARCH_DAYS = 366 * 8 + 2;

    private final String text;
    private final BitSet[] fields;

    private CronExpression(String text, BitSet[] fields) {
        this.text = text;
        this.fields = fields;
    }

    /** @throws IllegalArgumentException with a message fit for an SRE when the text is not in the subset. */
    public static CronExpression parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected a cron expression such as \"0 10 1 * *\" (minute hour "
                    + "day-of-month month day-of-week), got nothing");
        }
        List<String> parts = List.of(text.trim().split("\\s+"));
        if (parts.size() != 5) {
            throw new IllegalArgumentException("expected 5 cron fields (minute hour day-of-month month day-of-week, "
                    + "e.g. \"0 10 1 * *\"), got " + parts.size() + " in \"" + text.strip() + "\"");
        }
        BitSet[] fields = new BitSet[5];
        for (int i = 0; i < 5; i++) {
            fields[i] = field(parts.get(i), i);
        }
        if (!parts.get(2).equals("*") && !parts.get(4).equals("*")) {
            throw new IllegalArgumentException("restrict the day of month or the day of week, not both: cron then "
                    + "runs on either day, got \"" + text.strip() + "\"");
        }
        CronExpression cron = new CronExpression(text.strip(), fields);
        if (cron.next(ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneId.of("UTC"))) == null) {
            throw new IllegalArgumentException("\"" + text.strip() + "\" never fires (no such day)");
        }
        return cron;
    }

    private static BitSet field(String part, int index) {
        BitSet set = new BitSet();
        for (String item : part.split(",", -1)) {
            String range = item;
            int step = 1;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                range = item.substring(0, slash);
                step = number(item.substring(slash + 1), index, 1, MAX[index]);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = MIN[index];
                to = MAX[index];
            } else if (range.contains("-")) {
                String[] ends = range.split("-", -1);
                if (ends.length != 2) {
                    throw bad(part, index);
                }
                from = number(ends[0], index, MIN[index], MAX[index]);
                to = number(ends[1], index, MIN[index], MAX[index]);
                if (from > to) {
                    throw new IllegalArgumentException("the " + NAMES[index] + " range \"" + range
                            + "\" runs backwards");
                }
            } else {
                from = number(range, index, MIN[index], MAX[index]);
                to = slash >= 0 ? MAX[index] : from;
            }
            for (int v = from; v <= to; v += step) {
                set.set(v);
            }
        }
        return set;
    }

    private static int number(String s, int index, int min, int max) {
        if (!s.matches("\\d{1,2}")) {
            throw new IllegalArgumentException("the " + NAMES[index] + " field takes numbers " + MIN[index] + "-"
                    + MAX[index] + ", '*', ranges a-b, steps /n and lists a,b; got \"" + s + "\"");
        }
        int v = Integer.parseInt(s);
        if (v < min || v > max) {
            throw new IllegalArgumentException("the " + NAMES[index] + " must be " + min + "-" + max + ", got " + v);
        }
        return v;
    }

    private static IllegalArgumentException bad(String part, int index) {
        return new IllegalArgumentException("the " + NAMES[index] + " field \"" + part + "\" is not a number, '*', a "
                + "range a-b, a step /n or a list a,b");
    }

    /** The first fire time strictly after {@code after}, in its zone; null when there is none within 8 years. */
    public ZonedDateTime next(ZonedDateTime after) {
        LocalDate day = after.toLocalDate();
        for (int d = 0; d < SEARCH_DAYS; d++, day = day.plusDays(1)) {
            if (!fields[3].get(day.getMonthValue()) || !fields[2].get(day.getDayOfMonth())
                    || !fields[4].get(day.getDayOfWeek().getValue() % 7)) {
                continue;
            }
            for (int h = fields[1].nextSetBit(0); h >= 0; h = fields[1].nextSetBit(h + 1)) {
                for (int m = fields[0].nextSetBit(0); m >= 0; m = fields[0].nextSetBit(m + 1)) {
                    ZonedDateTime t = ZonedDateTime.of(day, LocalTime.of(h, m), after.getZone());
                    if (t.isAfter(after)) {
                        return t;
                    }
                }
            }
        }
        return null;
    }

    /**
     * The longest time between two fire times in the year from {@code from}: a monthly drill's is 31 days, a
     * quarterly one's about 92. A drill not run within it is overdue.
     */
    public Duration period(ZonedDateTime from) {
        ZonedDateTime end = from.plusYears(1);
        ZonedDateTime t = next(from);
        Duration longest = Duration.ZERO;
        while (t != null && t.isBefore(end)) {
            ZonedDateTime n = next(t);
            if (n == null) {
                break;
            }
            Duration gap = Duration.between(t, n);
            longest = gap.compareTo(longest) > 0 ? gap : longest;
            t = n;
        }
        return longest;
    }

    /** The minutes it fires at, ascending (0-59). */
    public List<Integer> minutes() {
        return values(0);
    }

    /** The hours it fires at, ascending (0-23). */
    public List<Integer> hours() {
        return values(1);
    }

    /** The days of the month it fires on, ascending (1-31). */
    public List<Integer> daysOfMonth() {
        return values(2);
    }

    /** The months it fires in, ascending (1-12). */
    public List<Integer> months() {
        return values(3);
    }

    /** The days of the week it fires on, ascending (0 = Sunday to 6). */
    public List<Integer> daysOfWeek() {
        return values(4);
    }

    private List<Integer> values(int field) {
        return fields[field].stream().boxed().toList();
    }

    @Override
    public String toString() {
        return text;
    }
}
