package io.romadr.scenario.drill;

import io.romadr.report.ReportFormatter;
import io.romadr.scenario.drill.DrillReport.ActionItem;
import io.romadr.scenario.drill.DrillReport.SignOffRecord;
import io.romadr.scenario.drill.DrillReport.TimelineRow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The drill report as Markdown: first exactly the seed's "Drill Report Template" (its headings, bullets and table in
 * its order), then what roma-dr knows beyond it (roles, the state before the drill, the workflows, the summary). The
 * wording of each field is decided here once; {@link DrillReportHtml} shows the same values.
 */
public final class DrillReportFormatter {
    /** The template's blank signature line. */
    static final String UNSIGNED = "_______________";
    /** The template's three signatures, in its order; other roles signed are listed after them. */
    static final List<String> SIGN_OFF_ROLES = List.of("operator", "observer", "manager");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private DrillReportFormatter() {
    }

    public static String markdown(DrillReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("## Disaster Recovery Drill Report\n\n");
        sb.append("**Date:** ").append(orNone(r.date())).append('\n');
        sb.append("**Scenario:** ").append(scenario(r)).append('\n');
        sb.append("**Operator:** ").append(person(r.operator())).append('\n');
        sb.append("**Observer:** ").append(person(r.observer())).append('\n');

        sb.append("\n### Results\n");
        sb.append("- **Objective:** ").append(orNone(r.objective())).append('\n');
        sb.append("- **Success:** ").append(success(r)).append('\n');
        sb.append("- **RTO Target:** ").append(ReportFormatter.clock(r.rtoTargetMillis())).append('\n');
        sb.append("- **RTO Actual:** ").append(rtoActual(r)).append('\n');
        sb.append("- **Data Loss:** ").append(dataLoss(r)).append('\n');

        sb.append("\n### Timeline\n");
        sb.append("| Time | Action | Result |\n");
        sb.append("|------|--------|--------|\n");
        for (TimelineRow row : r.timeline()) {
            sb.append("| ").append(ReportFormatter.clock(row.atMillis()))
                    .append(" | ").append(cell(row.action()))
                    .append(" | ").append(cell(row.result()))
                    .append(" |\n");
        }

        sb.append("\n### Issues Encountered\n");
        if (r.issues().isEmpty()) {
            sb.append("None\n");
        }
        for (int i = 0; i < r.issues().size(); i++) {
            sb.append(i + 1).append(". ").append(line(r.issues().get(i))).append('\n');
        }

        sb.append("\n### Action Items\n");
        if (r.actionItems().isEmpty()) {
            sb.append("None\n");
        }
        for (ActionItem item : r.actionItems()) {
            sb.append("- [").append(item.done() ? 'x' : ' ').append("] ").append(actionItem(item)).append('\n');
        }

        sb.append("\n### Sign-Off\n");
        for (Line s : signOffs(r)) {
            sb.append("- ").append(s.label()).append(": ").append(s.text()).append('\n');
        }

        // roma-dr's own sections: after the template, so the template part stays the seed's
        sb.append("\n### Roles\n");
        sb.append("- **Coordinator:** ").append(person(r.coordinator())).append('\n');
        sb.append("- **Operator:** ").append(person(r.operator())).append('\n');
        sb.append("- **Observer:** ").append(person(r.observer())).append('\n');
        sb.append("- **Manager:** ").append(person(r.manager())).append('\n');

        sb.append("\n### State Before the Drill\n");
        if (r.stateBefore().isEmpty()) {
            sb.append("Not documented\n");
        }
        for (String s : r.stateBefore()) {
            sb.append("- ").append(line(s)).append('\n');
        }

        sb.append("\n### Workflows\n");
        for (Line w : workflowLines(r)) {
            sb.append("- **").append(w.label()).append(":** ").append(w.text()).append('\n');
        }
        if (!blank(r.summary())) {
            sb.append('\n').append(r.summary()).append('\n');
        }
        return sb.toString();
    }

    // ---- the wording of each field, shared with the HTML page ----------------------------------------------------

    static String scenario(DrillReport r) {
        return blank(r.scenarioName()) ? orNone(r.scenario()) : r.scenarioName();
    }

    /** Yes, No, or "(running)" while the drill has no result yet. */
    static String success(DrillReport r) {
        return r.success() == null ? "(running)" : r.success() ? "Yes" : "No";
    }

    static String rtoActual(DrillReport r) {
        if (r.rtoActualMillis() != null) {
            return ReportFormatter.clock(r.rtoActualMillis());
        }
        return r.success() == null ? "(running)" : "not recovered";
    }

    static String dataLoss(DrillReport r) {
        if (!blank(r.dataLoss())) {
            return r.dataLoss();
        }
        return r.success() == null ? "(running)" : "not assessed";
    }

    static String actionItem(ActionItem item) {
        return line(item.text()) + (blank(item.owner()) ? " (owner: nobody yet)" : " (owner: " + item.owner() + ")");
    }

    /** A labelled line, e.g. the Sign-Off's "Operator" and "alice, 2026-12-07". */
    record Line(String label, String text) {
    }

    /**
     * The template's operator, observer and manager lines (a role nobody signed keeps its blank line and says why),
     * then any other role that signed.
     */
    static List<Line> signOffs(DrillReport r) {
        List<Line> lines = new ArrayList<>();
        for (String role : SIGN_OFF_ROLES) {
            SignOffRecord s = r.signOffs().stream().filter(x -> role.equalsIgnoreCase(x.role())).findFirst()
                    .orElse(null);
            lines.add(new Line(title(role), signature(s)));
        }
        for (SignOffRecord s : r.signOffs()) {
            if (s.role() != null && !SIGN_OFF_ROLES.contains(s.role().toLowerCase(Locale.ROOT))) {
                lines.add(new Line(title(s.role()), signature(s)));
            }
        }
        return lines;
    }

    private static String signature(SignOffRecord s) {
        if (s == null) {
            return UNSIGNED + " (not signed)";
        }
        if (s.at() <= 0 || blank(s.name())) {
            return UNSIGNED + " (not signed" + (blank(s.note()) ? "" : ": " + line(s.note())) + ")";
        }
        return s.name() + ", " + DAY.format(Instant.ofEpochMilli(s.at()))
                + (blank(s.note()) ? "" : " (" + line(s.note()) + ")");
    }

    /** Label and value of the workflow lines: the drill, the plan, the recovery it ran, start and end. */
    static List<Line> workflowLines(DrillReport r) {
        List<Line> lines = new ArrayList<>();
        lines.add(new Line("Drill workflow", orNone(r.workflowId())));
        lines.add(new Line("Plan", orNone(r.plan())));
        lines.add(new Line("Recovery workflow",
                blank(r.recoveryWorkflowId()) ? "not started" : r.recoveryWorkflowId()));
        if (r.startedAt() > 0) {
            lines.add(new Line("Started", ReportFormatter.time(r.startedAt())));
        }
        lines.add(new Line("Finished", r.finishedAt() > 0
                ? ReportFormatter.time(r.finishedAt()) + " (total " + ReportFormatter.clock(
                        r.finishedAt() - r.startedAt()) + ")"
                : "(running)"));
        return lines;
    }

    static String person(String name) {
        return blank(name) ? "(not assigned)" : name;
    }

    static String title(String role) {
        return role.isEmpty() ? role : Character.toUpperCase(role.charAt(0)) + role.substring(1);
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static String orNone(String s) {
        return blank(s) ? "(none)" : s;
    }

    /** A person's text on one line (a list item or numbered issue must not break the list). */
    private static String line(String s) {
        return s == null ? "" : s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }

    /** A table cell: one line, its pipes escaped. */
    private static String cell(String s) {
        return line(s).replace("|", "\\|");
    }
}
