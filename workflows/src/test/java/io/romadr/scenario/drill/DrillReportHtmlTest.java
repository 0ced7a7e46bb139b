package io.romadr.scenario.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.scenario.drill.DrillReport.ActionItem;
import io.romadr.scenario.drill.DrillReport.SignOffRecord;
import io.romadr.scenario.drill.DrillReport.TimelineRow;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DrillReportHtmlTest {
    private static final String HOSTILE = "<script>alert('x')</script> & \"quoted\"";

    @Test
    void everyTextAPersonTypedIsEscapedInTheHtmlAndTheSvg() {
        DrillReport f = DrillReportSamples.finished();
        DrillReport hostile = new DrillReport(f.workflowId(), f.date(), f.scenario(), HOSTILE, f.plan(), HOSTILE,
                HOSTILE, HOSTILE, HOSTILE, HOSTILE, true, f.rtoTargetMillis(), f.rtoActualMillis(), HOSTILE,
                f.startedAt(), f.finishedAt(),
                List.of(new TimelineRow(0, 1_000, "pre-drill", HOSTILE, HOSTILE),
                        new TimelineRow(2_000, 0, "fault", "Injected fault: " + HOSTILE, HOSTILE),
                        new TimelineRow(3_000, 0, "recovery", "alert " + HOSTILE, HOSTILE),
                        new TimelineRow(4_000, 1_000, "x\"><script>alert(1)</script>", "odd phase", "N/A")),
                List.of(HOSTILE), List.of(new ActionItem(HOSTILE, HOSTILE, false)),
                List.of(new SignOffRecord("operator", HOSTILE, f.startedAt(), HOSTILE),
                        new SignOffRecord("<img src=x onerror=alert(1)>", HOSTILE, f.startedAt(), "")),
                List.of(HOSTILE), HOSTILE, HOSTILE);
        String html = DrillReportHtml.render(hostile);
        assertFalse(html.contains("<script"), html);
        assertFalse(html.contains("<img"), html);
        assertFalse(html.contains("alert('x')"), "quotes escaped too");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"));
        // in the SVG: the odd phase's label, its bar's data-phase and the markers' titles
        String svg = svg(html);
        assertTrue(svg.contains("data-phase=\"x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""), svg);
        assertTrue(svg.contains("<title>00:02 Injected fault: &lt;script&gt;"), svg);
        assertTrue(svg.contains("<title>00:03 alert &lt;script&gt;"), svg);
        // and nothing at all can run or be fetched, should an escape ever be missed
        assertTrue(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""), html);
    }

    @Test
    void theSvgHasOneBarPerPhaseTheRtoLineFromTheFaultAndTheMarkers() {
        String svg = svg(DrillReportHtml.render(DrillReportSamples.finished()));
        assertEquals(List.of("pre-drill", "fault", "recovery", "verify", "post-drill"),
                all(Pattern.compile("<rect class=\"phase\" data-phase=\"([^\"]*)\""), svg));
        assertEquals(1, count(svg, "<g class=\"marker fault\">"));
        assertEquals(1, count(svg, "<g class=\"marker alert\">"));
        assertTrue(svg.contains(">RTO target 15:00</text>"), svg);
        assertTrue(svg.contains(">recovered 01:23</text>"), svg);
        // the axis reads minutes:seconds and reaches past the RTO line (15:05 after the start) with room for its
        // label: 2-minute ticks up to 20:00
        assertTrue(svg.contains(">00:00</text>") && svg.contains(">02:00</text>") && svg.contains(">20:00</text>"),
                svg);
        assertFalse(svg.contains(">22:00</text>"), svg);
    }

    @Test
    void aPhasesBarRunsFromItsFirstRowsStartToItsLastRowsEnd() {
        List<DrillReportHtml.PhaseBar> bars = DrillReportHtml.phases(DrillReportSamples.finished().timeline());
        assertEquals(new DrillReportHtml.PhaseBar("pre-drill", 0, 5_000), bars.get(0));
        assertEquals(new DrillReportHtml.PhaseBar("recovery", 35_000, 56_000), bars.get(2));
        assertEquals(5_000, DrillReportHtml.faultAt(DrillReportSamples.finished()));
        // phases in the drill's order even when the rows come otherwise; unknown phases after them
        List<DrillReportHtml.PhaseBar> odd = DrillReportHtml.phases(List.of(
                new TimelineRow(9_000, 0, "smoke", "x", "y"), new TimelineRow(1_000, 0, "verify", "x", "y"),
                new TimelineRow(0, 500, "fault", "x", "y")));
        assertEquals(List.of("fault", "verify", "smoke"), odd.stream().map(DrillReportHtml.PhaseBar::phase).toList());
    }

    @Test
    void thePageShowsTheMarkdownsValues() {
        String html = DrillReportHtml.render(DrillReportSamples.running());
        assertTrue(html.contains("<strong>Success:</strong> <span class=\"success running\">(running)</span>"), html);
        assertTrue(html.contains("<h2>Issues Encountered</h2>\n<p>None</p>"), html);
        assertTrue(html.contains("<h2>Action Items</h2>\n<p>None</p>"), html);
        assertTrue(html.contains("<li>Manager: _______________ (not signed)</li>"), html);
        assertEquals(1, count(html, "<svg id=\"drill-timeline\""));
        assertFalse(html.contains("http://") && !html.contains("xmlns=\"http://www.w3.org/2000/svg\""), html);
        assertFalse(html.contains("src="), "nothing fetched");
    }

    @Test
    void aDrillWithoutRowsOrOverItsRtoStillDrawsItsTimeline() {
        DrillReport r = DrillReportSamples.running();
        DrillReport empty = new DrillReport(r.workflowId(), r.date(), r.scenario(), r.scenarioName(), r.plan(),
                r.coordinator(), r.operator(), r.observer(), r.manager(), r.objective(), null, r.rtoTargetMillis(),
                null, null, r.startedAt(), 0, List.of(), List.of(), List.of(), List.of(), List.of(), "", "");
        String svg = svg(DrillReportHtml.render(empty));
        assertEquals(0, count(svg, "class=\"phase\""));
        assertTrue(svg.contains(">RTO target 2:00:00</text>"), svg);

        // recovered after the target: the labels swap sides so they still do not overlap
        DrillReport f = DrillReportSamples.finished();
        DrillReport late = new DrillReport(f.workflowId(), f.date(), f.scenario(), f.scenarioName(), f.plan(),
                f.coordinator(), f.operator(), f.observer(), f.manager(), f.objective(), false, 60_000L,
                f.rtoActualMillis(), f.dataLoss(), f.startedAt(), f.finishedAt(), f.timeline(), f.issues(),
                f.actionItems(), f.signOffs(), f.stateBefore(), f.recoveryWorkflowId(), f.summary());
        String lateSvg = svg(DrillReportHtml.render(late));
        assertTrue(lateSvg.contains("text-anchor=\"end\">RTO target 01:00</text>"), lateSvg);
        assertTrue(lateSvg.contains("text-anchor=\"start\">recovered 01:23</text>"), lateSvg);
    }

    @Test
    void ticksAreRoundAndAtMostTen() {
        assertEquals(1_000, DrillReportHtml.tickStep(5_000));
        assertEquals(15_000, DrillReportHtml.tickStep(100_000));
        assertEquals(600_000, DrillReportHtml.tickStep(5_430_000));
        assertEquals(86_400_000, DrillReportHtml.tickStep(30L * 86_400_000));
    }

    private static String svg(String html) {
        return html.substring(html.indexOf("<svg id=\"drill-timeline\""), html.indexOf("</svg>") + 6);
    }

    private static List<String> all(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.results().map(r -> r.group(1)).toList();
    }

    private static int count(String s, String what) {
        return (s.length() - s.replace(what, "").length()) / what.length();
    }
}
