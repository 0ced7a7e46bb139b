package io.romadr.scenario.siteloss;

import static io.romadr.scenario.siteloss.SiteStubs.COMPENSATION_ATTEMPTS;

import io.romadr.report.StepOutcome;
import io.romadr.runtime.Steps;
import java.util.ArrayList;
import java.util.List;

/**
 * Workflow-side: Scenario 3's saga. What a failed recovery must undo (the new server, the DNS change) is recorded
 * the moment it exists and undone in reverse order; a server asked to be kept for forensics is kept.
 */
final class SiteSaga {
    private final Steps steps;
    private final SiteActivities compensating;
    private final List<String> compensation = new ArrayList<>();
    private SiteTarget provisioned;
    private DnsRequest dnsToRestore;
    private String keptBy = "";

    SiteSaga(Steps steps, SiteActivities compensating) {
        this.steps = steps;
        this.compensating = compensating;
    }

    /** The new server exists (or changed state): a failed recovery terminates it. */
    void provisioned(SiteTarget target) {
        provisioned = target;
    }

    SiteTarget provisioned() {
        return provisioned;
    }

    /** The DNS record is about to change: a failed recovery puts {@code undo} back. */
    void dnsChanged(DnsRequest undo) {
        dnsToRestore = undo;
    }

    /** Keep the server if the recovery fails; {@code by} says who asked and why. */
    void keep(String by) {
        keptBy = by;
    }

    String keptBy() {
        return keptBy;
    }

    List<String> compensation() {
        return List.copyOf(compensation);
    }

    /** Undo in reverse order of doing: DNS first (users leave the new server), then the server. Idempotent. */
    void compensate() {
        if (dnsToRestore != null) {
            DnsRequest undo = dnsToRestore;
            try {
                DnsOutcome back = steps.run("compensate: dns", COMPENSATION_ATTEMPTS,
                        () -> compensating.restoreDns(undo),
                        o -> (o.changed() ? "restored " : "already ") + (o.now() == null
                                ? "absent (there was no record before)"
                                : o.now().toString()));
                compensation.add("DNS " + (back.now() == null
                        ? "record removed (there was none before)"
                        : "restored to " + back.now()));
            } catch (Steps.Failed e) {
                compensation.add("DNS NOT restored: " + e.getMessage() + "; restore " + undo.previous() + " by hand");
            }
        }
        if (provisioned != null) {
            SiteTarget what = provisioned;
            if (!keptBy.isEmpty() || what.site().keepOnFailure()) {
                String who = keptBy.isEmpty() ? "the plan's site.keepOnFailure" : keptBy;
                steps.mark("compensate: server", StepOutcome.SKIPPED, "kept for forensics (" + who + ")");
                compensation.add("server " + describe(what.server()) + " KEPT for forensics (" + who
                        + "); terminate it when done");
            } else {
                try {
                    Boolean removed = steps.run("compensate: server", COMPENSATION_ATTEMPTS,
                            () -> compensating.terminate(what),
                            r -> r ? "terminated " + describe(what.server()) : "already gone");
                    compensation
                            .add("server " + describe(what.server()) + (removed ? " terminated" : " was already gone"));
                    SiteServer s = what.server();
                    provisioned = what.withServer(new SiteServer(s.provider(), s.id(), s.name(), s.address(),
                            "terminated", s.attempt()));
                } catch (Steps.Failed e) {
                    compensation.add("server " + describe(what.server()) + " NOT terminated: " + e.getMessage());
                }
            }
        }
    }

    String summary() {
        return compensation.isEmpty()
                ? "; nothing to undo."
                : "; compensation: " + String.join("; ", compensation) + ".";
    }

    /** "aws roma-recovery (i-0abc...) at 10.0.1.7": the id is what someone cleaning up by hand needs. */
    static String describe(SiteServer s) {
        if (s == null) {
            return "(none)";
        }
        boolean named = s.name() != null && !s.name().isBlank() && !s.id().startsWith(s.name());
        return s.provider() + " " + (named
                ? s.name() + " (" + s.id() + ")"
                : s.name() == null || s.name().isBlank()
                        ? s.id()
                        : s.name())
                + (s.address() == null || s.address().isBlank() ? "" : " at " + s.address());
    }
}
