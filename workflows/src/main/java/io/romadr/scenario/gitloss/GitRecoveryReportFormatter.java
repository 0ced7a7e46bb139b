package io.romadr.scenario.gitloss;

import io.romadr.report.ReportFormatter;

/** Scenario 4's own sections of its report; {@link ReportFormatter#markdown} renders the whole. */
public final class GitRecoveryReportFormatter {
    private GitRecoveryReportFormatter() {
    }

    /** Scenario 4's own sections: the remotes, the candidates, the choice, the restore and the fresh clone. */
    static void details(StringBuilder sb, GitRecoveryReport r) {
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
    }
}
