package io.romadr.gitrecovery;

import io.romadr.report.ReportFormatter;

/** Markdown rendering of Scenario 4's report for the CLI, drills and the report command. */
public final class GitRecoveryReportFormatter {
    private GitRecoveryReportFormatter() {
    }

    public static String markdown(GitRecoveryReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("## Git recovery report: plan ").append(r.plan()).append("\n\n");
        sb.append("- **Workflow:** ").append(r.workflowId()).append('\n');
        sb.append("- **Started:** ").append(ReportFormatter.time(r.startedAt()))
                .append(r.requestedBy().isEmpty() ? "" : " by " + r.requestedBy()).append('\n');
        long took = r.finishedAt() - r.startedAt();
        sb.append("- **Outcome:** ").append(r.outcome()).append(" in ").append(ReportFormatter.age(took))
                .append(" against an RTO of ").append(ReportFormatter.age(r.rtoMillis()))
                .append(r.rtoMet() ? " (met)" : " (BREACHED)").append('\n');
        sb.append("\n| Remote | URL | Reachable | Refs | Problem |\n|--------|-----|-----------|------|---------|\n");
        for (GitProbe p : r.probes()) {
            sb.append("| ").append(p.remote()).append(" | ").append(p.url()).append(" | ")
                    .append(p.reachable() ? "yes" : "NO").append(" | ").append(p.refs().size()).append(" | ")
                    .append(p.problem().replace("|", "\\|")).append(" |\n");
        }
        sb.append("\n| Candidate | Commits | Contains | Missing known-good | Problem |\n")
                .append("|-----------|---------|----------|--------------------|---------|\n");
        for (GitCandidate c : r.candidates()) {
            sb.append("| ").append(c.name()).append(c.name().equals(r.chosen()) ? " (chosen)" : "").append(" | ")
                    .append(c.commitCount()).append(" | ").append(String.join(", ", c.contains())).append(" | ")
                    .append(String.join(", ", c.missingKnownGood())).append(" | ")
                    .append(c.problem().replace("|", "\\|")).append(" |\n");
        }
        sb.append('\n');
        for (String reason : r.choiceReasons()) {
            sb.append("- ").append(reason).append('\n');
        }
        ReportFormatter.approval(sb, r.workflowId(), r.pendingApproval(), r.approval());
        if (r.restore() != null) {
            sb.append("- **Restore:** ").append(r.restore().recreated() ? "primary recreated; " : "")
                    .append(r.restore().updated().size()).append(" ref(s) updated, ").append(r.restore().unchanged())
                    .append(" unchanged").append('\n');
        }
        if (r.verification() != null) {
            GitVerifyResult v = r.verification();
            sb.append("- **Fresh clone:** ").append(v.commitCount()).append(" commits (source: ")
                    .append(v.expectedCommitCount()).append("), last ").append(v.lastCommits().size())
                    .append(" commits ").append(v.lastCommits().equals(v.expectedLastCommits()) ? "match" : "DIFFER")
                    .append(v.missingTags().isEmpty() ? ", all tags present" : ", MISSING tags " + v.missingTags())
                    .append('\n');
            for (String c : v.commands()) {
                sb.append("  - ").append(c).append('\n');
            }
        }
        ReportFormatter.timeline(sb, r.timeline(), r.startedAt());
        sb.append('\n').append(r.summary()).append('\n');
        return sb.toString();
    }
}
