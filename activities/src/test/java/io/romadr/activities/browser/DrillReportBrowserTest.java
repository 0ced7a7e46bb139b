package io.romadr.activities.browser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.scenario.drill.DrillReport;
import io.romadr.scenario.drill.DrillReport.ActionItem;
import io.romadr.scenario.drill.DrillReport.SignOffRecord;
import io.romadr.scenario.drill.DrillReport.TimelineRow;
import io.romadr.scenario.drill.DrillReportHtml;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drill report's HTML page in a real browser (Debian's chromium, headless), opened from a file as a person opens
 * it from the backup store: it renders (a screenshot that is a real image showing the phases' colours) and the DOM
 * chromium built holds the SVG timeline with one bar per phase, a person's {@code <script>} left as text.
 *
 * <p>{@code -Droma.drillReportPng=docs/drill-report.png} also copies the screenshot there (the README's picture).
 */
@Tag("integration")
class DrillReportBrowserTest {
    private static final long START = 1_796_623_200_000L; // 2026-12-07 06:00:00 UTC
    private static final List<String> PHASES = List.of("pre-drill", "fault", "recovery", "verify");
    /** The bars' fill colours (DrillReportHtml's palette for the four phases). */
    private static final int[] PHASE_RGB = {0x6b7a8f, 0xc0392b, 0x2e86c1, 0x28a745};
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final Pattern BAR = Pattern.compile("<rect[^>]*\\bclass=\"phase\"[^>]*>");
    private static final Pattern DATA_PHASE = Pattern.compile("data-phase=\"([^\"]*)\"");

    @TempDir
    Path work;

    @Test
    void chromiumRendersTheReportWithOneBarPerPhase() throws Exception {
        Path page = work.resolve("drill-report.html");
        Files.writeString(page, DrillReportHtml.render(report()), StandardCharsets.UTF_8);

        Path png = HeadlessChromium.screenshot(page, work.resolve("drill-report.png"), 1200, 1600, work);
        byte[] bytes = Files.readAllBytes(png);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8), "a PNG");
        assertTrue(bytes.length > 30_000, "a rendered page, not an empty one: " + bytes.length + " bytes");
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1200, image.getWidth());
        assertEquals(1600, image.getHeight());
        for (int i = 0; i < PHASES.size(); i++) {
            assertTrue(hasColour(image, PHASE_RGB[i]), "the " + PHASES.get(i) + " bar is painted in the screenshot");
        }
        String copy = System.getProperty("roma.drillReportPng", "");
        if (!copy.isBlank()) {
            Files.copy(png, Path.of(copy), StandardCopyOption.REPLACE_EXISTING);
        }

        String dom = HeadlessChromium.dumpDom(page, work);
        int svgStart = dom.indexOf("<svg id=\"drill-timeline\"");
        assertTrue(svgStart >= 0, "the SVG timeline is in the DOM:\n" + dom);
        String svg = dom.substring(svgStart, dom.indexOf("</svg>", svgStart));
        List<String> bars = BAR.matcher(svg).results().map(m -> m.group()).toList();
        assertEquals(PHASES, bars.stream().map(b -> {
            var m = DATA_PHASE.matcher(b);
            return m.find() ? m.group(1) : "(no data-phase)";
        }).toList(), "one class=\"phase\" bar per phase, in the drill's order");
        assertEquals(bars.size(), BAR.matcher(dom).results().count(), "no phase bar outside the timeline");
        assertTrue(svg.contains("class=\"marker fault\"") && svg.contains("class=\"marker alert\""), svg);
        assertTrue(svg.contains("RTO target 15:00"), svg);
        // the note typed by a person is text in the page, not an element
        assertFalse(dom.contains("<script"), dom);
        assertTrue(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), dom);
    }

    /** A pixel within 3 of {@code rgb} in every channel (anti-aliasing aside, a bar is one flat colour). */
    private static boolean hasColour(BufferedImage image, int rgb) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                if (Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) <= 3
                        && Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff)) <= 3
                        && Math.abs((p & 0xff) - (rgb & 0xff)) <= 3) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A Scenario 1 drill in four phases: the recovery needed a recreate and took 09:10 of its 15:00. */
    private static DrillReport report() {
        return new DrillReport("roma-dr-drill-service-failure-roma-staging-20261207", "2026-12-07",
                "service-failure", "Service restart (Scenario 1)", "roma-staging", "Carol (coordinator)",
                "Alice (operator)", "Bob (observer)", "Dave (manager)", "Service restart within 15 min", true,
                900_000L, 550_000L, "None", START, START + 640_000L,
                List.of(new TimelineRow(0, 5_000, "pre-drill", "Started drill; team notified", "N/A"),
                        new TimelineRow(5_000, 55_000, "pre-drill", "Documented current state", "Success"),
                        new TimelineRow(60_000, 10_000, "pre-drill", "Success criteria: RTO 15:00", "Set"),
                        new TimelineRow(70_000, 2_000, "fault", "Injected fault: kill roma", "Success"),
                        new TimelineRow(115_000, 0, "recovery", "alert RomaDown fired", "webhook started recovery"),
                        new TimelineRow(118_000, 7_000, "recovery", "assess", "roma exited (137)"),
                        new TimelineRow(125_000, 35_000, "recovery", "restart roma", "Failed: unhealthy"),
                        new TimelineRow(160_000, 230_000, "recovery", "recreate roma", "Success"),
                        new TimelineRow(390_000, 100_000, "recovery", "wait-healthy", "Success"),
                        new TimelineRow(490_000, 80_000, "verify", "Verify data (independent checks)", "Success"),
                        new TimelineRow(570_000, 50_000, "verify", "Smoke tests", "Success"),
                        new TimelineRow(620_000, 20_000, "verify", "Drill complete", "Success")),
                List.of("Restart did not heal: the container came back unhealthy",
                        "Observer's note: <script>alert(1)</script> pasted from a chat"),
                List.of(new ActionItem("Find why a restart leaves roma unhealthy", "alice", false),
                        new ActionItem("Add the recreate step to the runbook", "bob", true)),
                List.of(new SignOffRecord("operator", "Alice", START + 700_000, ""),
                        new SignOffRecord("observer", "Bob", START + 720_000, "timings checked"),
                        new SignOffRecord("manager", "", 0, "not signed within 24h")),
                List.of("container roma: running (healthy), image sha256:5f1c...", "newest db backup: 2h05m old"),
                "roma-dr-service-failure-roma-staging",
                "Scenario 1 drill on roma-staging: recovered in 09:10 of the 15:00 RTO, after a recreate.");
    }
}
