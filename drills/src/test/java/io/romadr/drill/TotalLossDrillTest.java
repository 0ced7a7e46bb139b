package io.romadr.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.compute.DockerHostCompute;
import io.romadr.activities.docker.DockerClients;
import io.romadr.activities.docker.DockerServiceActivities;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The README's Scenario 3 drill, in-process: embedded Temporal, a busybox sandbox site with its source on a local bare
 * repository (JGit) and a local zone file; the real state, artifacts and git backups, then the site lost (container,
 * data, primary repository) and rebuilt by the real SiteRecoveryWorkflow on a new server container: source from the
 * backup remote, state and artifacts restored, the record moved; nothing of the drill left afterwards.
 */
@org.junit.jupiter.api.Tag("integration")
class TotalLossDrillTest {

    @Test
    void embeddedDrillRebuildsALostSiteOnANewServerAndMovesItsDns() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = DrillMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));

        int code = cl.execute("drill", "total-loss", "--embedded");

        String text = out.toString();
        assertEquals(0, code, "exit code; stdout:\n" + text + "\nstderr:\n" + err);
        assertEquals(3, text.split("== Backup: ", -1).length - 1, text);
        assertTrue(text.contains("== Disaster: container(s) ["), text);

        // The source came from the backup remote, the primary being gone.
        assertTrue(text.contains("- **Source:** git remote backup at "), text);
        assertTrue(text.contains("  - passed over: origin: "), text);
        // No Vault in the drill: the secrets step is skipped, and the drill says so.
        assertTrue(Pattern.compile("(?m)^  \\+\\d\\d:\\d\\d  secrets +SKIPPED ").matcher(text).find(), text);
        assertTrue(text.contains("so the recovery's secrets step is SKIPPED"), text);
        // State and artifacts restored, per the report and per the drill's own checks.
        assertTrue(Pattern.compile("(?m)^- \\*\\*State:\\*\\* state/").matcher(text).find(), text);
        assertTrue(Pattern.compile("(?m)^  \\+\\d\\d:\\d\\d  restore-state +OK ").matcher(text).find(), text);
        assertTrue(Pattern.compile("(?m)^Independent check: GET http://127\\.0\\.0\\.1:\\d+/cursor -> 42 = the "
                + "backed-up cursor$").matcher(text).find(), text);
        assertTrue(Pattern.compile("(?m)^Independent check: GET http://127\\.0\\.0\\.1:\\d+/index\\.html -> roma drill "
                + "source [0-9a-f]{8} = the source file from the backup remote$").matcher(text).find(), text);
        assertTrue(text.contains("/today.json -> {\"events\": [1, 2, 3]} = the backed-up artifact"), text);
        // DNS moved from the old site to the one new server.
        Matcher dns = Pattern.compile("(?m)^Independent check: DNS roma\\.drill\\.internal A: "
                + "(\\d+\\.\\d+\\.\\d+\\.\\d+) = the new server's address$").matcher(text);
        assertTrue(dns.find(), text);
        assertTrue(text.contains("- **DNS:** roma.drill.internal. A 60 10.0.0.1 → roma.drill.internal. A 60 "
                + dns.group(1)), text);
        assertTrue(Pattern.compile("(?m)^Independent check: 1 server container\\(s\\) labelled roma-dr\\.plan="
                + "drill-site-[0-9a-f]{8}, new since the loss$").matcher(text).find(), text);
        // The state and artifacts fingerprinted before the loss are on the new site, file for file.
        assertTrue(text.contains("== Before the loss: site state app:/app/.roma: 1 file(s) fingerprinted (SHA-256)"),
                text);
        assertTrue(text.contains("Independent check: state app:/app/.roma: 1 of 1 file(s) as before the loss\n"),
                text);
        assertTrue(text.contains("Independent check: artifacts app:/app/out: 2 of 2 file(s) as before the loss\n"),
                text);
        assertTrue(text.contains("Independent check: data loss: None\n"), text);
        // Each phase printed as it finished, with its budget, none over it.
        for (String phase : new String[]{"provision", "install", "restore-application", "restore-data",
                "verify-and-cutover"}) {
            assertTrue(Pattern.compile("(?m)^  phase " + Pattern.quote(phase) + " done in \\d\\d:\\d\\d \\(budget "
                    + "\\d+–\\d+ min\\)$").matcher(text).find(), phase + ":\n" + text);
        }
        assertFalse(text.contains("OVER BUDGET"), text);
        // In the order of events: a phase's line comes after its last step and before the next phase's first step.
        assertTrue(text.indexOf("  phase restore-application done") < text.indexOf("restore-state  OK"), text);
        assertTrue(text.indexOf("  phase restore-data done") < text.indexOf("wait-healthy   OK"), text);
        int artifacts = text.indexOf("restore-artifacts OK");
        assertTrue(artifacts >= 0 && artifacts < text.indexOf("  phase restore-data done"), text);
        assertTrue(Pattern.compile("(?m)^  total-loss RECOVERED +in \\d\\d:\\d\\d / RTO 1:30:00, 5 of 5 phases "
                + "within budget; independent checks hold$").matcher(text).find(), text);

        // Nothing of the drill is left: no server, no service container, no server disk.
        Matcher plan = Pattern.compile("(?m)^Plan (drill-site-[0-9a-f]{8}) \\(compose project (\\S+)\\)").matcher(text);
        assertTrue(plan.find(), text);
        DockerClient docker = DockerClients.fromEnvironment();
        assertEquals(0, docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerHostCompute.PLAN_LABEL, plan.group(1))).exec().size(), "servers left");
        assertEquals(0, docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerServiceActivities.LABEL_PROJECT, plan.group(2))).exec().size(),
                "service containers left");
        Matcher disks = Pattern
                .compile("(?m)^Cleaned up: (\\d+) container\\(s\\) of the drill removed, server disk\\(s\\) "
                        + "\\[(\\S+)\\], work directory (\\S+) and git mirror cache (\\S+) deleted$")
                .matcher(text);
        assertTrue(disks.find(), text);
        assertEquals("2", disks.group(1), "the server and its service were removed by the drill: " + text);
        for (int i = 2; i <= 4; i++) {
            assertFalse(Files.exists(Path.of(disks.group(i))), disks.group(i) + " left behind");
        }
    }
}
