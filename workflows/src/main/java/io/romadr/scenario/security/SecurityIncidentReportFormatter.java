package io.romadr.scenario.security;

import io.romadr.report.ApprovalRecord;
import io.romadr.report.ReportFormatter;
import java.time.Instant;

/** The security incident's own sections of its report; {@link ReportFormatter#markdown} renders the whole. */
public final class SecurityIncidentReportFormatter {
    private SecurityIncidentReportFormatter() {
    }

    static void details(StringBuilder sb, SecurityIncidentReport r) {
        sb.append("\n- **Contained:** ").append(r.containMode()).append(", ");
        if (r.containedAt() == null) {
            sb.append("NOT contained");
        } else {
            sb.append("at +").append(ReportFormatter.clock(r.containedAt() - r.startedAt()))
                    .append(" against a target of ")
                    .append(ReportFormatter.clock(r.containWithinMillis()))
                    .append(r.containedInTime() ? " (met)" : " (MISSED)");
        }
        sb.append('\n');
        for (ApprovalRecord a : r.approvals()) {
            sb.append("- **Approval ").append(a.step()).append(":** ").append(a.timedOut()
                    ? "no decision (" + a.reason() + ")"
                    : (a.approved() ? "approved" : "REJECTED") + " by " + a.approver() + " at "
                            + Instant.ofEpochMilli(a.decidedAt()) + (a.reason().isEmpty() ? "" : ": " + a.reason()))
                    .append('\n');
        }
        sb.append("\n| Container | Service | State | Image | Image digests | Networks |\n")
                .append("|-----------|---------|-------|-------|---------------|----------|\n");
        for (IncidentContainer c : r.containers()) {
            sb.append("| ").append(c.name()).append(" | ").append(c.service()).append(" | ").append(c.state())
                    .append(" | ").append(c.image()).append(" | ").append(String.join(", ", c.repoDigests()))
                    .append(" | ").append(String.join(", ", c.networks())).append(" |\n");
        }
        if (r.containment() != null) {
            sb.append('\n');
            r.containment().actions().forEach(a -> sb.append("- ").append(a).append('\n'));
        }
        if (r.evidence() != null) {
            EvidenceManifest e = r.evidence();
            sb.append("\nEvidence in ").append(e.location()).append('/').append(e.prefix()).append(" (manifest ")
                    .append(e.manifestKey()).append(", sha256 ").append(e.manifestSha256()).append("):\n\n")
                    .append("| Artifact | Bytes | SHA-256 |\n|----------|-------|---------|\n");
            e.artifacts().forEach(a -> sb.append("| ").append(a.name()).append(" | ").append(a.size()).append(" | ")
                    .append(a.sha256()).append(" |\n"));
        }
        if (!r.rotations().isEmpty()) {
            sb.append("\n| Credential | Kind | Version before | Version after | Keys | Note |\n")
                    .append("|------------|------|----------------|---------------|------|------|\n");
            for (RotationResult x : r.rotations()) {
                sb.append("| ").append(x.target().name()).append(" | ").append(x.target().kind()).append(" | ")
                        .append(x.target().versionBefore()).append(" | ").append(x.versionAfter()).append(" | ")
                        .append(String.join(", ", x.keys())).append(" | ")
                        .append(x.alreadyRotated() ? "already rotated by an earlier attempt; " : "")
                        .append(x.note().replace("|", "\\|")).append(" |\n");
            }
        }
        if (!r.knownGoodCommit().isEmpty()) {
            sb.append("\n- **Known-good commit:** ").append(r.knownGoodCommit()).append('\n');
        }
        if (r.images() != null) {
            sb.append("\n| Image | Known-good digest (backup registry ").append(r.images().registry())
                    .append(") | Image id |\n|-------|------------------|----------|\n");
            r.images().images().forEach(i -> sb.append("| ").append(i.image()).append(" | ").append(i.digest())
                    .append(" | ").append(i.imageId()).append(" |\n"));
        }
        if (!r.secretsBackup().isEmpty()) {
            sb.append("\n- **Fresh secrets backup:** ").append(r.secretsBackup()).append('\n');
        }
    }
}
