package io.romadr.scenario.siteloss;

import io.romadr.report.ReportFormatter;
import java.time.Duration;
import java.util.Map;

/** Scenario 3's own sections of its report; {@link ReportFormatter#markdown} renders the whole. */
public final class SiteRecoveryReportFormatter {
    private static final long MINUTE = Duration.ofMinutes(1).toMillis();

    private SiteRecoveryReportFormatter() {
    }

    /** The header lines only Scenario 3 has: where the new server came from and what it is. */
    static void headerDetails(StringBuilder sb, SiteRecoveryReport r) {
        sb.append("- **Provider:** ").append(text(r.provider()).isEmpty() ? "(not chosen)" : r.provider()).append('\n');
        sb.append("- **Server:** ").append(server(r.server())).append('\n');
        if (!r.region().isEmpty()) {
            sb.append("- **Region:** ").append(r.region()).append(" (failover after a region outage)\n");
        }
        if (!r.backupStore().isEmpty()) {
            sb.append("- **Backups from:** ").append(r.backupStore())
                    .append(r.region().isEmpty() ? "" : " (the replica store)").append('\n');
        }
    }

    /** Scenario 3's own sections: phases against their budgets, sources, the cut-over, the compensation. */
    static void details(StringBuilder sb, SiteRecoveryReport r) {
        sb.append("\n### Phases\n");
        sb.append("| Phase | Budget | Started | Took | Over budget? |\n");
        sb.append("|-------|--------|---------|------|--------------|\n");
        for (PhaseRecord p : r.phases()) {
            sb.append("| ").append(p.name())
                    .append(" | ").append(budget(p))
                    .append(" | ").append(p.startedAt() == null
                            ? "—"
                            : "+" + ReportFormatter.clock(p.startedAt()
                                    - r.startedAt()))
                    .append(" | ").append(p.startedAt() == null
                            ? "—"
                            : p.endedAt() == null
                                    ? "running"
                                    : ReportFormatter.clock(p.endedAt() - p.startedAt()))
                    .append(" | ").append(overBudget(r, p))
                    .append(" |\n");
        }

        sb.append("\n### Sources\n");
        SourceResult source = r.source();
        sb.append("- **Source:** ").append(source == null
                ? "not installed"
                : "git remote " + source.remote()
                        + " at " + source.commit() + ", " + source.files() + " file(s)")
                .append('\n');
        if (source != null) {
            for (String skipped : source.skipped()) {
                sb.append("  - passed over: ").append(skipped).append('\n');
            }
        }
        SecretsInstallResult secrets = r.secrets();
        sb.append("- **Secrets:** ").append(secrets == null
                ? "not installed"
                : secrets.objectKey() + " into "
                        + secrets.envFile() + "; variables: " + (secrets.variables().isEmpty()
                                ? "(none)"
                                : String.join(", ", secrets.variables())))
                .append('\n');
        ImagePullResult images = r.images();
        sb.append("- **Images:** ").append(images == null
                ? "not pulled"
                : images.registry().equals("as named")
                        ? "as the templates name them (not backed up by the plan)"
                        : "from the " + images.registry()
                                + " registry")
                .append('\n');
        if (images != null) {
            for (Map.Entry<String, String> e : images.resolved().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey()).toList()) {
                sb.append("  - ").append(e.getKey()).append(" → ").append(e.getValue()).append('\n');
            }
            for (String note : images.notes()) {
                sb.append("  - ").append(note).append('\n');
            }
        }
        sb.append("- **State:** ").append(text(r.stateBackup()).isEmpty()
                ? "not restored"
                : r.stateBackup()
                        + (r.dataAgeMillis() == null
                                ? ""
                                : " (data age " + ReportFormatter.age(r.dataAgeMillis()) + ")"))
                .append('\n');
        sb.append("- **Artifacts:** ").append(text(r.artifactsBackup()).isEmpty()
                ? "not restored"
                : r.artifactsBackup()).append('\n');
        for (String rejected : r.rejectedBackups()) {
            sb.append("- **Backup refused:** ").append(rejected).append('\n');
        }

        sb.append("\n### Cut-over\n");
        sb.append("- **DNS:** ").append(dns(r)).append('\n');
        if (!text(r.keptForForensics()).isEmpty()) {
            sb.append("- **Kept for forensics:** ").append(r.keptForForensics()).append('\n');
        }
        if (!r.compensation().isEmpty()) {
            sb.append("\n### Compensation\n");
            for (String c : r.compensation()) {
                sb.append("- ").append(c).append('\n');
            }
        }
    }

    /** A phase's window: "0–30 min" on whole minutes, else "00:00–00:20" (a plan with a short RTO). */
    public static String budget(PhaseRecord p) {
        if (p.budgetFromMillis() % MINUTE == 0 && p.budgetToMillis() % MINUTE == 0) {
            return p.budgetFromMillis() / MINUTE + "–" + p.budgetToMillis() / MINUTE + " min";
        }
        return ReportFormatter.clock(p.budgetFromMillis()) + "–" + ReportFormatter.clock(p.budgetToMillis());
    }

    /** One line for a finished phase, e.g. "phase provision done in 00:42 (budget 0–30 min)"; null while running. */
    public static String phaseLine(PhaseRecord p) {
        if (p.startedAt() == null || p.endedAt() == null) {
            return null;
        }
        return "phase " + p.name() + " done in " + ReportFormatter.clock(p.endedAt() - p.startedAt()) + " (budget "
                + budget(p) + ")" + (p.overBudget() ? " OVER BUDGET" : "");
    }

    private static String overBudget(SiteRecoveryReport r, PhaseRecord p) {
        if (p.startedAt() == null) {
            return "not reached";
        }
        if (p.endedAt() == null) {
            return r.finishedAt() - r.startedAt() > p.budgetToMillis() ? "YES (still running)" : "—";
        }
        return p.overBudget() ? "YES (ended at +" + ReportFormatter.clock(p.endedAt() - r.startedAt()) + ")" : "no";
    }

    private static String server(SiteServer s) {
        if (s == null) {
            return "none provisioned";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(text(s.name()).isEmpty() ? s.id() : s.name() + " (id " + s.id() + ")");
        if (!text(s.address()).isEmpty()) {
            sb.append(" at ").append(s.address());
        }
        if (!text(s.state()).isEmpty()) {
            sb.append(", ").append(s.state());
        }
        return sb.toString();
    }

    private static String dns(SiteRecoveryReport r) {
        if (r.dnsBefore() == null && r.dnsAfter() == null) {
            return "not changed";
        }
        return (r.dnsBefore() == null ? "(no record)" : r.dnsBefore().toString()) + " → "
                + (r.dnsAfter() == null ? "unchanged" : r.dnsAfter().toString());
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
