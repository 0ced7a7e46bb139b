package io.romadr.worker.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The shipped alert rules ({@code deploy/prometheus/roma-dr-rules.yml}) pass {@code promtool check rules} (syntax and
 * lint) and their unit tests ({@code promtool test rules roma-dr-rules.test.yml}), and the unit tests cover every
 * alert both firing and not firing. promtool missing is a failure, never a skip.
 */
@Tag("integration")
class AlertRulesTest {
    static final Set<String> ALERTS = Set.of("RomaDrBackupStale", "RomaDrVerificationNotOk", "RomaDrRecoveryFailed",
            "RomaDrRtoBreached", "RomaDrApprovalPendingTooLong", "RomaDrWorkerDown",
            "RomaDrBackupLagOverRpo");

    @Test
    void rulesAreValid() throws Exception {
        Result r = promtool("check", "rules", MonitoringFiles.RULES.toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("SUCCESS: 9 rules found"), r.output());
    }

    @Test
    void ruleUnitTestsPass() throws Exception {
        Result r = promtool("test", "rules", MonitoringFiles.RULES_TEST.toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("SUCCESS"), r.output());
    }

    @Test
    void everyAlertIsTestedFiringAndNotFiring() throws IOException {
        String rules = Files.readString(MonitoringFiles.RULES);
        assertEquals(ALERTS, names(Pattern.compile("- alert: (\\w+)").matcher(rules)));
        String tests = Files.readString(MonitoringFiles.RULES_TEST);
        Set<String> firing = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        // Each expectation: "alertname: X" followed by either "exp_alerts: []" or a list of exp_labels.
        Matcher m = Pattern.compile("alertname: (\\w+)\\s+exp_alerts:( \\[\\])?").matcher(tests);
        while (m.find()) {
            (m.group(2) == null ? firing : silent).add(m.group(1));
        }
        assertEquals(ALERTS, firing, "alerts with a firing case");
        assertEquals(ALERTS, silent, "alerts with a not-firing case");
    }

    private static Set<String> names(Matcher m) {
        Set<String> names = new TreeSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    record Result(int exit, String output) {
    }

    static Result promtool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(MonitoringFiles.promtool()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(MonitoringFiles.PROMETHEUS_DIR.toFile())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes(); // ends when promtool exits
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not exit");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
