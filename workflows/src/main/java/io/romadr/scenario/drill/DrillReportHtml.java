package io.romadr.scenario.drill;

import io.romadr.report.ReportFormatter;
import io.romadr.scenario.drill.DrillReport.ActionItem;
import io.romadr.scenario.drill.DrillReport.TimelineRow;
import io.romadr.scenario.drill.DrillReportFormatter.Line;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The drill report as one self-contained HTML page: inline CSS, no script, nothing fetched (it must open from the
 * backup store or a file), and a Content-Security-Policy that forbids scripts should any text slip through. It shows
 * the Markdown's content ({@link DrillReportFormatter} words each field) and an SVG timeline: one bar per phase
 * against the RTO line, the fault and the alerts marked. Every text is escaped: notes are typed by people.
 */
public final class DrillReportHtml {
    /** The phases in the order a drill goes through them; a phase not listed comes after, in order of appearance. */
    static final List<String> PHASES = List.of("pre-drill", "fault", "recovery", "verify", "post-drill");
    private static final String[] COLOURS = {"#6b7a8f", "#c0392b", "#2e86c1", "#28a745", "#8e44ad", "#d68910"};

    // the SVG's geometry, in user units
    private static final int WIDTH = 1000;
    private static final int LABEL_WIDTH = 110;
    private static final int RIGHT = 30;
    private static final int MARKER_LANE = 46;
    private static final int BAR_HEIGHT = 26;
    private static final int BAR_GAP = 12;
    private static final int AXIS_HEIGHT = 52;
    private static final long[] TICK_STEPS = {1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000,
            600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000};

    private DrillReportHtml() {
    }

    public static String render(DrillReport r) {
        StringBuilder sb = new StringBuilder();
        String title = "Disaster Recovery Drill Report: " + DrillReportFormatter.scenario(r) + ", "
                + DrillReportFormatter.orNone(r.date());
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
                .append("style-src 'unsafe-inline'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n")
                .append("<style>").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");

        sb.append("<h1>Disaster Recovery Drill Report</h1>\n<p class=\"header\">\n");
        field(sb, "Date", DrillReportFormatter.orNone(r.date()));
        field(sb, "Scenario", DrillReportFormatter.scenario(r));
        field(sb, "Operator", DrillReportFormatter.person(r.operator()));
        field(sb, "Observer", DrillReportFormatter.person(r.observer()));
        sb.append("</p>\n");

        sb.append("<h2>Results</h2>\n<ul class=\"results\">\n");
        item(sb, "Objective", DrillReportFormatter.orNone(r.objective()));
        String success = DrillReportFormatter.success(r);
        sb.append("<li><strong>Success:</strong> <span class=\"success ")
                .append(r.success() == null ? "running" : r.success() ? "yes" : "no").append("\">")
                .append(esc(success)).append("</span></li>\n");
        item(sb, "RTO Target", ReportFormatter.clock(r.rtoTargetMillis()));
        item(sb, "RTO Actual", DrillReportFormatter.rtoActual(r));
        item(sb, "Data Loss", DrillReportFormatter.dataLoss(r));
        sb.append("</ul>\n");

        sb.append("<h2>Timeline</h2>\n");
        svg(sb, r);
        sb.append("<table class=\"timeline\">\n<thead><tr><th>Time</th><th>Action</th><th>Result</th></tr></thead>\n")
                .append("<tbody>\n");
        for (TimelineRow row : r.timeline()) {
            sb.append("<tr data-phase=\"").append(esc(row.phase())).append("\"><td>")
                    .append(ReportFormatter.clock(row.atMillis())).append("</td><td>").append(esc(row.action()))
                    .append("</td><td>").append(esc(row.result())).append("</td></tr>\n");
        }
        sb.append("</tbody>\n</table>\n");

        sb.append("<h2>Issues Encountered</h2>\n");
        if (r.issues().isEmpty()) {
            sb.append("<p>None</p>\n");
        } else {
            sb.append("<ol class=\"issues\">\n");
            r.issues().forEach(i -> sb.append("<li>").append(esc(i)).append("</li>\n"));
            sb.append("</ol>\n");
        }

        sb.append("<h2>Action Items</h2>\n");
        if (r.actionItems().isEmpty()) {
            sb.append("<p>None</p>\n");
        } else {
            sb.append("<ul class=\"actions\">\n");
            for (ActionItem a : r.actionItems()) {
                sb.append("<li class=\"").append(a.done() ? "done" : "open").append("\">")
                        .append(a.done() ? "&#9745; " : "&#9744; ")
                        .append(esc(DrillReportFormatter.actionItem(a))).append("</li>\n");
            }
            sb.append("</ul>\n");
        }

        sb.append("<h2>Sign-Off</h2>\n<ul class=\"signoff\">\n");
        for (Line s : DrillReportFormatter.signOffs(r)) {
            sb.append("<li>").append(esc(s.label())).append(": ").append(esc(s.text())).append("</li>\n");
        }
        sb.append("</ul>\n");

        sb.append("<h2>Roles</h2>\n<ul>\n");
        item(sb, "Coordinator", DrillReportFormatter.person(r.coordinator()));
        item(sb, "Operator", DrillReportFormatter.person(r.operator()));
        item(sb, "Observer", DrillReportFormatter.person(r.observer()));
        item(sb, "Manager", DrillReportFormatter.person(r.manager()));
        sb.append("</ul>\n");

        sb.append("<h2>State Before the Drill</h2>\n");
        if (r.stateBefore().isEmpty()) {
            sb.append("<p>Not documented</p>\n");
        } else {
            sb.append("<ul class=\"state\">\n");
            r.stateBefore().forEach(s -> sb.append("<li><code>").append(esc(s)).append("</code></li>\n"));
            sb.append("</ul>\n");
        }

        sb.append("<h2>Workflows</h2>\n<ul>\n");
        DrillReportFormatter.workflowLines(r).forEach(w -> item(sb, w.label(), w.text()));
        sb.append("</ul>\n");
        if (!DrillReportFormatter.blank(r.summary())) {
            sb.append("<p class=\"summary\">").append(esc(r.summary())).append("</p>\n");
        }
        sb.append("</main>\n</body>\n</html>\n");
        return sb.toString();
    }

    /** A phase's bar: from its first row's start to its last row's end. */
    record PhaseBar(String phase, long startMillis, long endMillis) {
    }

    /** The timeline's rows grouped by phase, in {@link #PHASES} order, then any other phase as it first appears. */
    static List<PhaseBar> phases(List<TimelineRow> rows) {
        Map<String, long[]> spans = new LinkedHashMap<>();
        PHASES.forEach(p -> spans.put(p, null));
        for (TimelineRow row : rows) {
            String phase = DrillReportFormatter.blank(row.phase()) ? "other" : row.phase();
            long end = row.atMillis() + Math.max(0, row.durationMillis());
            long[] span = spans.get(phase);
            spans.put(phase, span == null
                    ? new long[]{row.atMillis(), end}
                    : new long[]{Math.min(span[0], row.atMillis()), Math.max(span[1], end)});
        }
        List<PhaseBar> bars = new ArrayList<>();
        spans.forEach((phase, span) -> {
            if (span != null) {
                bars.add(new PhaseBar(phase, span[0], span[1]));
            }
        });
        return bars;
    }

    /** When the fault was injected (the first fault row), from which the RTO is measured; 0 without one. */
    static long faultAt(DrillReport r) {
        return r.timeline().stream().filter(row -> "fault".equals(row.phase())).mapToLong(TimelineRow::atMillis)
                .min().orElse(0);
    }

    private static void svg(StringBuilder sb, DrillReport r) {
        List<PhaseBar> bars = phases(r.timeline());
        long faultAt = faultAt(r);
        long rtoAt = faultAt + r.rtoTargetMillis();
        long end = Math.max(rtoAt, r.finishedAt() > r.startedAt() ? r.finishedAt() - r.startedAt() : 0);
        for (PhaseBar b : bars) {
            end = Math.max(end, b.endMillis());
        }
        end = Math.max(end, rtoAt + rtoAt / 5); // room right of the RTO line for its label
        long step = tickStep(Math.max(end, 1_000));
        long axisEnd = ((end + step / 4) / step + 1) * step;
        Scale x = new Scale(LABEL_WIDTH, WIDTH - RIGHT, axisEnd);
        int barsTop = MARKER_LANE;
        int axisY = barsTop + Math.max(1, bars.size()) * (BAR_HEIGHT + BAR_GAP);
        int height = axisY + AXIS_HEIGHT;

        sb.append("<svg id=\"drill-timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH)
                .append(' ').append(height)
                .append("\" width=\"100%\" role=\"img\" aria-labelledby=\"drill-timeline-title\">\n")
                .append("<title id=\"drill-timeline-title\">Drill timeline: phases against the RTO target of ")
                .append(ReportFormatter.clock(r.rtoTargetMillis())).append(" from the fault</title>\n");

        // the axis: ticks and labels in minutes:seconds from the drill's start, with a grid line per tick
        sb.append("<g class=\"axis\">\n");
        sb.append(lineTag(LABEL_WIDTH, axisY, WIDTH - RIGHT, axisY, "axis-line"));
        for (long t = 0; t <= axisEnd; t += step) {
            int tx = x.at(t);
            sb.append(lineTag(tx, barsTop - 6, tx, axisY, "grid"));
            sb.append(lineTag(tx, axisY, tx, axisY + 6, "tick"));
            sb.append(text(tx, axisY + 20, "middle", "tick-label", ReportFormatter.clock(t)));
        }
        sb.append(text((LABEL_WIDTH + WIDTH - RIGHT) / 2, axisY + 44, "middle", "axis-title",
                "time since the drill started (minutes:seconds)"));
        sb.append("</g>\n");

        // one bar per phase
        for (int i = 0; i < bars.size(); i++) {
            PhaseBar b = bars.get(i);
            int y = barsTop + i * (BAR_HEIGHT + BAR_GAP);
            int x0 = x.at(b.startMillis());
            int width = Math.max(3, x.at(b.endMillis()) - x0);
            String colour = COLOURS[Math.min(PHASES.contains(b.phase()) ? PHASES.indexOf(b.phase()) : 5,
                    COLOURS.length - 1)];
            sb.append(text(LABEL_WIDTH - 8, y + BAR_HEIGHT / 2 + 5, "end", "phase-label", b.phase()));
            sb.append("<rect class=\"phase\" data-phase=\"").append(esc(b.phase())).append("\" x=\"").append(x0)
                    .append("\" y=\"").append(y).append("\" width=\"").append(width).append("\" height=\"")
                    .append(BAR_HEIGHT).append("\" rx=\"3\" fill=\"").append(colour).append("\"><title>")
                    .append(esc(b.phase() + ": " + ReportFormatter.clock(b.startMillis()) + " to "
                            + ReportFormatter.clock(b.endMillis())))
                    .append("</title></rect>\n");
        }

        // the RTO target, measured from the fault; and when the service was back (the two labels point away from
        // each other so they never overlap)
        int rx = x.at(rtoAt);
        boolean late = r.rtoActualMillis() != null && r.rtoActualMillis() > r.rtoTargetMillis();
        sb.append("<g class=\"rto\">").append(lineTag(rx, 2, rx, axisY, "rto-line"))
                .append(text(late ? rx - 5 : rx + 5, 13, late ? "end" : "start", "rto-label",
                        "RTO target " + ReportFormatter.clock(r.rtoTargetMillis())))
                .append("</g>\n");
        if (r.rtoActualMillis() != null) {
            int ax = x.at(faultAt + r.rtoActualMillis());
            sb.append("<g class=\"recovered\">").append(lineTag(ax, 2, ax, axisY, "recovered-line"))
                    .append(text(late ? ax + 5 : ax - 5, 13, late ? "start" : "end", "recovered-label",
                            "recovered " + ReportFormatter.clock(r.rtoActualMillis())))
                    .append("</g>\n");
        }

        // markers: each fault injected (a triangle) and each alert (a diamond), in the lane above the bars
        for (TimelineRow row : r.timeline()) {
            boolean fault = "fault".equals(row.phase());
            boolean alert = row.action() != null && row.action().toLowerCase(Locale.ROOT).startsWith("alert");
            if (!fault && !alert) {
                continue;
            }
            int mx = x.at(row.atMillis());
            int my = barsTop - 16;
            String shape = fault
                    ? "<path d=\"M" + (mx - 7) + " " + (my - 8) + " L" + (mx + 7) + " " + (my - 8) + " L" + mx + " "
                            + (my + 6) + " Z\"/>"
                    : "<path d=\"M" + mx + " " + (my - 8) + " L" + (mx + 7) + " " + my + " L" + mx + " " + (my + 8)
                            + " L" + (mx - 7) + " " + my + " Z\"/>";
            sb.append("<g class=\"marker ").append(fault ? "fault" : "alert").append("\"><title>")
                    .append(esc(ReportFormatter.clock(row.atMillis()) + " " + row.action() + ": " + row.result()))
                    .append("</title>").append(shape)
                    // the fault's label left of it, an alert's right: an alert soon after the fault stays legible
                    .append(fault
                            ? text(mx - 10, my + 4, "end", "marker-label", "fault")
                            : text(mx + 10, my + 4, "start", "marker-label", "alert"))
                    .append("</g>\n");
        }
        sb.append("</svg>\n");
    }

    /** Linear map of milliseconds since the start onto x between {@code left} and {@code right}. */
    private record Scale(int left, int right, long maxMillis) {
        int at(long millis) {
            return left + (int) Math.round((double) Math.max(0, Math.min(millis, maxMillis)) * (right - left)
                    / maxMillis);
        }
    }

    /** The smallest round step that puts at most ten ticks on the axis. */
    static long tickStep(long spanMillis) {
        for (long s : TICK_STEPS) {
            if (spanMillis / s <= 9) {
                return s;
            }
        }
        return TICK_STEPS[TICK_STEPS.length - 1];
    }

    private static String lineTag(int x1, int y1, int x2, int y2, String cls) {
        return "<line class=\"" + cls + "\" x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2
                + "\"/>\n";
    }

    private static String text(int x, int y, String anchor, String cls, String s) {
        return "<text class=\"" + cls + "\" x=\"" + x + "\" y=\"" + y + "\" text-anchor=\"" + anchor + "\">" + esc(s)
                + "</text>\n";
    }

    private static void field(StringBuilder sb, String label, String value) {
        sb.append("<strong>").append(label).append(":</strong> ").append(esc(value)).append("<br>\n");
    }

    private static void item(StringBuilder sb, String label, String value) {
        sb.append("<li><strong>").append(esc(label)).append(":</strong> ").append(esc(value)).append("</li>\n");
    }

    /** Text for HTML and SVG, in element content and in quoted attributes alike. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String CSS = """
            body{font-family:-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1c2430;background:#fff;\
            margin:0}
            main{max-width:1100px;margin:0 auto;padding:24px 32px}
            h1{font-size:26px;margin:0 0 12px}
            h2{font-size:19px;margin:24px 0 8px;border-bottom:1px solid #d8dee6;padding-bottom:4px}
            .header{line-height:1.6}
            .success.yes{color:#1e7e34;font-weight:bold}
            .success.no{color:#b02a37;font-weight:bold}
            .success.running{color:#8a6d00}
            table.timeline{border-collapse:collapse;width:100%;margin-top:12px;font-size:14px}
            table.timeline th,table.timeline td{border:1px solid #d8dee6;padding:4px 8px;text-align:left;\
            vertical-align:top}
            table.timeline th{background:#f2f5f8}
            table.timeline td:first-child{font-family:monospace;white-space:nowrap}
            ul.actions{list-style:none;padding-left:8px}
            ul.actions li.done{color:#5c6670}
            code{font-size:13px;word-break:break-all}
            .summary{background:#f2f5f8;padding:10px 14px;border-radius:4px}
            #drill-timeline{display:block;border:1px solid #d8dee6;border-radius:4px;background:#fcfdfe}
            #drill-timeline text{font-size:13px;fill:#1c2430}
            #drill-timeline .axis-line,#drill-timeline .tick{stroke:#1c2430;stroke-width:1}
            #drill-timeline .grid{stroke:#e3e8ee;stroke-width:1}
            #drill-timeline .tick-label{font-family:monospace;font-size:12px}
            #drill-timeline .axis-title{font-size:12px;fill:#5c6670}
            #drill-timeline .phase-label{font-weight:bold}
            #drill-timeline .rto-line{stroke:#b02a37;stroke-width:2;stroke-dasharray:6 4}
            #drill-timeline .rto-label{fill:#b02a37;font-weight:bold}
            #drill-timeline .recovered-line{stroke:#1e7e34;stroke-width:2}
            #drill-timeline .recovered-label{fill:#1e7e34}
            #drill-timeline .marker.fault path{fill:#b02a37}
            #drill-timeline .marker.alert path{fill:#d68910}
            #drill-timeline .marker-label{font-size:11px}
            """;
}
