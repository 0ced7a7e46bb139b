package io.romadr.activities.notify;

import io.romadr.notify.Notice;
import java.time.Duration;

/** Pieces of a notice as people read them, shared by the channels that render text (Slack, PagerDuty, webhook). */
final class NoticeText {
    private NoticeText() {
    }

    /** "42% of 15m (6m18s elapsed)", or "no RTO" when the run has none. */
    static String rtoUsed(Notice notice) {
        if (notice.rtoMillis() <= 0) {
            return "no RTO";
        }
        return notice.rtoUsedPercent() + "% of " + duration(notice.rtoMillis()) + " (" + duration(
                notice.elapsedMillis()) + " elapsed)";
    }

    /** "1h02m", "6m18s", "45s". */
    static String duration(long millis) {
        Duration d = Duration.ofMillis(Math.max(0, millis));
        if (d.toHours() > 0) {
            return d.toHours() + "h" + String.format("%02dm", d.toMinutesPart());
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + "m" + String.format("%02ds", d.toSecondsPart());
        }
        return d.toSeconds() + "s";
    }

    /** At most {@code max} characters, ending in "…" when cut. */
    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** The title, prefixed "Resolved: " for a resolution. */
    static String title(Notice notice) {
        String title = notice.title().isEmpty()
                ? "roma-dr " + notice.event().id() + (notice.plan().isEmpty() ? "" : " " + notice.plan())
                : notice.title();
        return notice.resolve() ? "Resolved: " + title : title;
    }
}
