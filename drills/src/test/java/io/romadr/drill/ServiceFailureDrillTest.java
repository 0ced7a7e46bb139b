package io.romadr.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The README's drill command, in-process: embedded Temporal, real Docker engine, sandbox service; both faults
 * recovered and reported with per-step timings.
 */
@org.junit.jupiter.api.Tag("integration")
class ServiceFailureDrillTest {

    @Test
    void embeddedDrillRecoversAKilledAndARemovedContainer() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = DrillMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));

        int code = cl.execute("drill", "service-failure", "--embedded", "--watch", "2s");

        String text = out.toString();
        assertEquals(0, code, "exit code; stdout:\n" + text + "\nstderr:\n" + err);
        assertTrue(text.contains("Embedded Temporal (SDK test server) at 127.0.0.1:"), text);
        assertEquals(2, count(text, "- \\*\\*Outcome:\\*\\* RECOVERED"), text);
        assertTrue(text.contains("Recovered by restart"), text);
        assertTrue(text.contains("Recovered by recreate"), text);
        // Per-step timings in the report table: | time | action | result | round | duration | attempts |
        assertTrue(
                Pattern.compile("\\| 00:0\\d \\| restart \\| Success[^|]* \\| 1 \\| \\d+\\.\\ds \\| 1 \\|")
                        .matcher(text).find(),
                text);
        assertTrue(text.contains("| restart | Skipped: containers missing for [roma]; "), text);
        assertTrue(text.contains("kill       RECOVERED"), text);
        assertTrue(text.contains("remove     RECOVERED"), text);
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
