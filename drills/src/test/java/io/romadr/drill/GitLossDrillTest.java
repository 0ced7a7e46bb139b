package io.romadr.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The README's Scenario 4 drill, in-process: embedded Temporal, local bare repositories, the real mirror and recovery
 * workflows; a force-pushed and a deleted primary each restored from the backup after the drill approves.
 */
class GitLossDrillTest {

    @Test
    void embeddedDrillRestoresAForcePushedAndADeletedPrimary() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = DrillMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));

        int code = cl.execute("drill", "git-loss", "--embedded", "--commits", "60");

        String text = out.toString();
        assertEquals(0, code, "exit code; stdout:\n" + text + "\nstderr:\n" + err);
        assertTrue(text.contains("== Mirror before the faults: Mirrored"), text);
        assertEquals(2, text.split("approved restore-primary by drill", -1).length - 1, text);
        assertEquals(2, text.split("= the history before the fault", -1).length - 1, text);
        assertTrue(text.contains("- **Approval:** approved by drill (drill)"), text);
        assertTrue(text.contains("| backup (chosen) |"), text);
        assertTrue(text.contains("force-push RECOVERED"), text);
        assertTrue(text.contains("delete     RECOVERED"), text);
        assertFalse(Files.exists(GitLossDrill.mirrorCache()), "the drill removed its git mirror cache "
                + GitLossDrill.mirrorCache());
    }
}
