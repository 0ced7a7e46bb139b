package io.romadr.scenario.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DrillReportFormatterTest {
    /** The seed's "Drill Report Template" (disaster-recovery-plan.md, Testing & Validation), verbatim. */
    private static final String SEED_TEMPLATE = """
            ## Disaster Recovery Drill Report

            **Date:** YYYY-MM-DD
            **Scenario:** [Scenario name]
            **Operator:** [Name]
            **Observer:** [Name]

            ### Results
            - **Objective:** [What we tested]
            - **Success:** [Yes/No]
            - **RTO Target:** [Target time]
            - **RTO Actual:** [Actual time]
            - **Data Loss:** [None / Amount]

            ### Timeline
            | Time | Action | Result |
            |------|--------|--------|
            | 00:00 | Started drill | N/A |
            | 00:05 | Step 1 completed | Success |
            | ... | ... | ... |
            | 01:30 | Drill complete | Success |

            ### Issues Encountered
            1. [Issue description]
            2. [Issue description]

            ### Action Items
            - [ ] [Fix/improvement]
            - [ ] [Update runbook]
            - [ ] [Add monitoring]

            ### Sign-Off
            - Operator: _______________
            - Observer: _______________
            - Manager: _______________
            """;
    private static final List<String> TEMPLATE_SECTIONS = List.of("## Disaster Recovery Drill Report", "### Results",
            "### Timeline", "### Issues Encountered", "### Action Items", "### Sign-Off");
    /** A label of the template: "**Date:**", "- **Objective:**", "- Operator:". */
    private static final Pattern LABEL = Pattern.compile("^(- )?(\\*\\*[^*]+:\\*\\*|[A-Z][a-z]+:)");
    private static final Pattern TIMELINE_ROW = Pattern.compile("\\| \\d+:\\d\\d(:\\d\\d)? \\| .* \\| .* \\|");

    @Test
    void theTemplatePartHasTheSeedsSectionsInItsOrderAndRomaDrsOwnComeAfter() {
        Map<String, List<String>> seed = sections(SEED_TEMPLATE);
        assertEquals(TEMPLATE_SECTIONS, List.copyOf(seed.keySet()), "the test's copy of the seed template");
        for (DrillReport report : List.of(DrillReportSamples.finished(), DrillReportSamples.running())) {
            Map<String, List<String>> out = sections(DrillReportFormatter.markdown(report));
            List<String> headings = List.copyOf(out.keySet());
            assertEquals(TEMPLATE_SECTIONS, headings.subList(0, TEMPLATE_SECTIONS.size()));
            assertEquals(List.of("### Roles", "### State Before the Drill", "### Workflows"),
                    headings.subList(TEMPLATE_SECTIONS.size(), headings.size()));
            // the header, the Results bullets and the Sign-Off lines: the seed's labels, in its order
            for (String section : List.of("## Disaster Recovery Drill Report", "### Results", "### Sign-Off")) {
                assertEquals(labels(seed.get(section)), labels(out.get(section)), section);
            }
            List<String> timeline = out.get("### Timeline");
            assertEquals(seed.get("### Timeline").subList(0, 2), timeline.subList(0, 2));
            timeline.subList(2, timeline.size())
                    .forEach(row -> assertTrue(TIMELINE_ROW.matcher(row).matches(), row));
        }
    }

    @Test
    void aFinishedSignedDrillFillsTheTemplateFieldForField() {
        String md = DrillReportFormatter.markdown(DrillReportSamples.finished());
        String templatePart = md.substring(0, md.indexOf("\n### Roles"));
        assertEquals("""
                ## Disaster Recovery Drill Report

                **Date:** 2026-12-07
                **Scenario:** Service restart (Scenario 1)
                **Operator:** alice
                **Observer:** bob

                ### Results
                - **Objective:** Service restart within 15 min
                - **Success:** Yes
                - **RTO Target:** 15:00
                - **RTO Actual:** 01:23
                - **Data Loss:** None

                ### Timeline
                | Time | Action | Result |
                |------|--------|--------|
                | 00:00 | Started drill | N/A |
                | 00:04 | Documented current state | Success |
                | 00:05 | Injected fault: kill roma | Success |
                | 00:35 | alert RomaDown fired | webhook started the recovery |
                | 00:36 | restart roma | Success |
                | 00:56 | verify health \\| smoke tests | Success |
                | 01:28 | Drill complete | Success |

                ### Issues Encountered
                1. Alert took 30 s to fire because of the rule's for: clause

                ### Action Items
                - [ ] Shorten the alert's for: to 15s (owner: bob)
                - [x] Update runbook (owner: alice)

                ### Sign-Off
                - Operator: alice, 2026-12-07
                - Observer: bob, 2026-12-07 (timings checked)
                - Manager: _______________ (not signed: not signed within 24h)
                """, templatePart);
        String own = md.substring(md.indexOf("\n### Roles"));
        assertTrue(own.contains("- **Coordinator:** carol\n"), own);
        assertTrue(own.contains("- **Manager:** dave\n"), own);
        assertTrue(own.contains("- container roma: running, image sha256:abc\n"), own);
        assertTrue(own.contains("- **Recovery workflow:** roma-dr-service-failure-roma-staging\n"), own);
        assertTrue(own.contains("- **Finished:** 2026-12-07 06:01:30 UTC (total 01:30)\n"), own);
        assertTrue(own.endsWith("\nScenario 1 drill: recovered in 01:23 of 15:00.\n"), own);
    }

    @Test
    void aRunningDrillWithNoIssuesItemsOrSignOffsSaysSo() {
        String md = DrillReportFormatter.markdown(DrillReportSamples.running());
        Map<String, List<String>> s = sections(md);
        assertEquals(List.of("**Date:** 2026-12-07", "**Scenario:** git-loss", "**Operator:** alice",
                "**Observer:** bob"), s.get("## Disaster Recovery Drill Report"));
        assertEquals(List.of("- **Objective:** Git recovery within 2 h", "- **Success:** (running)",
                "- **RTO Target:** 2:00:00", "- **RTO Actual:** (running)", "- **Data Loss:** (running)"),
                s.get("### Results"));
        assertEquals(List.of("None"), s.get("### Issues Encountered"));
        assertEquals(List.of("None"), s.get("### Action Items"));
        assertEquals(List.of("- Operator: _______________ (not signed)", "- Observer: _______________ (not signed)",
                "- Manager: _______________ (not signed)"), s.get("### Sign-Off"));
        assertEquals(List.of("Not documented"), s.get("### State Before the Drill"));
        assertTrue(s.get("### Roles").contains("- **Coordinator:** (not assigned)"), md);
        assertTrue(s.get("### Workflows").contains("- **Recovery workflow:** not started"), md);
        assertTrue(s.get("### Workflows").contains("- **Finished:** (running)"), md);
    }

    @Test
    void aFailedDrillIsNoAndNotRecovered() {
        DrillReport f = DrillReportSamples.finished();
        DrillReport failed = new DrillReport(f.workflowId(), f.date(), f.scenario(), f.scenarioName(), f.plan(),
                f.coordinator(), f.operator(), f.observer(), f.manager(), f.objective(), false, f.rtoTargetMillis(),
                null, "", f.startedAt(), f.finishedAt(), f.timeline(), f.issues(), f.actionItems(), f.signOffs(),
                f.stateBefore(), f.recoveryWorkflowId(), f.summary());
        List<String> results = sections(DrillReportFormatter.markdown(failed)).get("### Results");
        assertTrue(results.contains("- **Success:** No"), results.toString());
        assertTrue(results.contains("- **RTO Actual:** not recovered"), results.toString());
        assertTrue(results.contains("- **Data Loss:** not assessed"), results.toString());
    }

    /** Heading to its non-blank lines (the summary paragraph after the last section belongs to it). */
    private static Map<String, List<String>> sections(String markdown) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("## ") || line.startsWith("### ")) {
                current = new ArrayList<>();
                sections.put(line, current);
            } else if (current != null && !line.isBlank()) {
                current.add(line);
            }
        }
        return sections;
    }

    private static List<String> labels(List<String> lines) {
        List<String> labels = new ArrayList<>();
        for (String line : lines) {
            var m = LABEL.matcher(line);
            assertTrue(m.find(), "no label in: " + line);
            labels.add(m.group());
        }
        return labels;
    }
}
