package io.romadr.backup;

import io.romadr.plan.BackupSpec;
import io.romadr.plan.BackupStore;
import io.romadr.plan.RecoveryPlan;
import io.romadr.runtime.Steps;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The plan's side of the measured RPO: which kinds the plan backs up, the RPO each is held to, the lag it may show
 * (the RPO plus {@code backup.verification.rpoSlack}) and the window it is measured over. Read alike by the weekly
 * verification, {@code backups list} and the worker's metrics, so they never disagree. Pure; workflow-safe.
 *
 * <p>RPO per kind: state {@code rpo.executionState}, artifacts {@code rpo.artifacts}, git {@code rpo.sourceCode},
 * images {@code rpo.containerImages}; secrets and logs have no row in the seed's RPO table: secrets are held to
 * {@code backup.verification.secretsMaxAge}, logs to their shipping interval {@code backup.schedule.logs}.
 */
public final class MeasuredRpo {
    /** The lags summarised: the last seven days, as the weekly verification looks back. */
    public static final Duration WINDOW = Duration.ofDays(7);

    private MeasuredRpo() {
    }

    /** The kinds {@code plan} backs up ({@code state}, {@code artifacts}, ...), each with its RPO, in that order. */
    public static Map<String, Duration> targets(RecoveryPlan plan) {
        BackupSpec backup = plan.backup();
        Map<String, Duration> rpos = new LinkedHashMap<>();
        if (backup == null) {
            return rpos;
        }
        if (backup.state() != null) {
            rpos.put(BackupKind.STATE.id(), plan.rpo().executionState());
        }
        if (backup.artifacts() != null) {
            rpos.put(BackupKind.ARTIFACTS.id(), plan.rpo().artifacts());
        }
        if (backup.secrets() != null) {
            rpos.put(BackupKind.SECRETS.id(), backup.verification().secretsMaxAge());
        }
        if (backup.git() != null) {
            rpos.put("git", plan.rpo().sourceCode());
        }
        if (backup.images() != null) {
            rpos.put("images", plan.rpo().containerImages());
        }
        if (backup.logs() != null) {
            rpos.put("logs", backup.schedule().logs());
        }
        return rpos;
    }

    /** The largest lag that still meets {@code rpo}: the RPO plus the plan's {@code rpoSlack}. */
    public static Duration limit(RecoveryPlan plan, Duration rpo) {
        return rpo.plus(plan.backup().verification().rpoSlack());
    }

    /** The summary request for {@code kind} over the window ending at {@code now} (epoch ms). */
    public static LagSummaryRequest request(RecoveryPlan plan, String kind, long now) {
        BackupSpec backup = plan.backup();
        BackupKind stored = storedKind(kind);
        // A stored kind's lags live beside its backups: the secrets' in their own store (the samples name them).
        BackupStore store = stored == null ? backup.store() : stored.storeIn(backup);
        return new LagSummaryRequest(store, plan.name(), kind, now - WINDOW.toMillis(), store);
    }

    /**
     * The step {@code lag-<kind>}: the kind's summary over the window ending at {@code now}; an activity that
     * answers nothing is a summary of no samples (never a workflow task that fails on it).
     */
    static LagSummary summary(Steps steps, BackupLagActivities lags, RecoveryPlan plan, String kind, long now) {
        LagSummaryRequest request = request(plan, kind, now);
        LagSummary lag = steps.run("lag-" + kind, () -> lags.lagSummary(request),
                l -> l == null ? "no answer" : describe(l));
        return lag == null ? LagSummary.none(plan.name(), kind, LagSummary.EVENTS, request.since()) : lag;
    }

    /**
     * Whether the measured lag meets the limit: its maximum over the window, since an RPO is a bound (every change
     * that waited longer would have been lost by a disaster at the worst moment). Nothing measured meets nothing.
     */
    public static boolean met(LagSummary lag, Duration limit) {
        return lag.samples() > 0 && lag.maxMillis() <= limit.toMillis();
    }

    /** Git mirrors ran and none had a push to carry that push events had not carried: nothing was at risk. */
    static boolean quiet(LagSummary lag) {
        return lag.samples() == 0 && lag.basis().equals(LagSummary.QUIET);
    }

    /** The stored kind of {@code kind} (state, artifacts, secrets), null for git, images and logs. */
    public static BackupKind storedKind(String kind) {
        for (BackupKind k : BackupKind.values()) {
            if (k.id().equals(kind)) {
                return k;
            }
        }
        return null;
    }

    /**
     * The weekly verification's "rpo" row of {@code kind}: OK when {@link #met}, STALE with the figures when the
     * maximum is over the limit, MISSING when nothing was measured in the window.
     */
    public static VerificationRow row(String kind, LagSummary lag, Duration rpo, Duration limit) {
        String target = "RPO " + duration(rpo.toMillis()) + " + " + duration(limit.minus(rpo).toMillis()) + " slack";
        if (quiet(lag)) {
            return new VerificationRow(kind, "rpo", VerificationStatus.OK, "no push waited for a mirror in the last "
                    + duration(WINDOW.toMillis()) + ": every mirror run found the backups equal (" + target + ")");
        }
        if (lag.samples() == 0) {
            return new VerificationRow(kind, "rpo", VerificationStatus.MISSING,
                    "nothing measured in the last " + duration(WINDOW.toMillis()) + " (" + target + "): "
                            + unmeasured(kind));
        }
        return new VerificationRow(kind, "rpo", met(lag, limit) ? VerificationStatus.OK : VerificationStatus.STALE,
                describe(lag) + " (" + target + ")");
    }

    /** {@code 12 events in 7d: p50 4.2s, p99 9.8s, max 9.8s}. */
    public static String describe(LagSummary lag) {
        if (quiet(lag)) {
            return "quiet: mirrors ran, nothing waited";
        }
        if (lag.samples() == 0) {
            return "no " + lag.basis() + " samples";
        }
        return lag.samples() + " " + (lag.basis().equals(LagSummary.EVENTS) ? "event" : "interval")
                + (lag.samples() == 1 ? "" : "s") + " in " + duration(WINDOW.toMillis()) + ": p50 "
                + duration(lag.p50Millis()) + ", p99 " + duration(lag.p99Millis()) + ", max "
                + duration(lag.maxMillis());
    }

    /** The {@code backups list} line of {@code kind}: OK, OVER or NONE (nothing measured). */
    public static BackupCatalog.MeasuredLag catalogLine(String kind, LagSummary lag, Duration rpo, Duration limit) {
        String status = quiet(lag) ? "OK" : lag.samples() == 0 ? "NONE" : met(lag, limit) ? "OK" : "OVER";
        return new BackupCatalog.MeasuredLag(kind, lag, rpo.toMillis(), limit.toMillis(), status, "");
    }

    /** A lag for people: {@code 850ms}, {@code 9.8s}, {@code 4m05s}, {@code 1h00m}, {@code 7d}. */
    public static String duration(long millis) {
        if (millis == 0) {
            return "0s";
        }
        if (millis < 1_000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        if (millis < 3_600_000) {
            return String.format(java.util.Locale.ROOT, "%dm%02ds", millis / 60_000, millis / 1000 % 60);
        }
        return io.romadr.report.ReportFormatter.age(millis);
    }

    /** Why a kind has no sample, and what measures it. */
    private static String unmeasured(String kind) {
        return switch (kind) {
            case "git" -> "no push event was backed up and no git mirror committed (wire the forge's push webhook)";
            case "images" ->
                "no registry push event was backed up and no image mirror ran (run the image schedule; wire the registry's notifications to the worker host)";
            case "logs" -> "no log shipping run recorded a lag";
            default -> "no " + kind + " backup in the store";
        };
    }
}
