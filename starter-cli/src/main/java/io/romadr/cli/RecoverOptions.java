package io.romadr.cli;

import io.romadr.plan.PlanRepository;
import io.romadr.report.IncidentTimes;
import io.romadr.temporal.RecoveryStarter;
import io.romadr.temporal.TaskQueues;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * What every {@code recover} command takes besides the plan: why, whether to wait, and where the plans are (only to
 * read {@code recovery.concurrentScenarios}). There is no workflow ID option: a recovery's ID is
 * {@code roma-dr-<scenario>-<plan>}, so every starter finds the one that runs.
 */
final class RecoverOptions {
    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "",
            description = "Why the recovery was started; shown in the report (and in the running recovery's "
                    + "timeline when this start attaches to it).")
    String reason;

    @Option(names = "--wait", description = "Follow the recovery (also one this start attached to), print its report "
            + "and exit by its outcome.")
    boolean waitForResult;

    @Option(names = "--plans", paramLabel = "DIR", defaultValue = "${env:ROMA_DR_PLANS:-deploy/plans}",
            description = "Directory of plans, as the workers have it (env ROMA_DR_PLANS; default ${DEFAULT-VALUE}); "
                    + "read only for the plan's recovery.concurrentScenarios. Without the plan there, a recovery of "
                    + "another scenario of the plan that is running refuses this start.")
    Path plansDir;

    @Option(names = "--region", paramLabel = "REGION",
            description = "Start the recovery on the task queue of this region's workers, roma-dr-<region> (instead "
                    + "of --task-queue). For 'recover site', the plan's regions.failover makes it a region outage: "
                    + "the server from site.failover, the backups from backup.replica (docs/regions.md).")
    String region;

    @Option(names = "--detected-at", paramLabel = "TIME",
            description = "When the incident was detected, RFC 3339 (e.g. 2026-12-07T12:00:00Z, or with an offset): "
                    + "the recovery's RTO counts from it when it is earlier than this start. Default: from this start.")
    String detectedAt;

    /** {@code --detected-at} as given, null when not; a usage error when it is not an RFC 3339 time. */
    String detectedAt() {
        if (detectedAt != null && IncidentTimes.parse(detectedAt) == null) {
            throw new CliException(ExitCodes.USAGE, "--detected-at: \"" + detectedAt
                    + "\" is not an RFC 3339 time, e.g. 2026-12-07T12:00:00Z");
        }
        return detectedAt;
    }

    /** The queue the recovery is started on: the region's when {@code --region} is given, else {@code configured}. */
    String taskQueue(String configured) {
        try {
            return TaskQueues.of(region == null ? configured : null, region);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "--region: " + e.getMessage());
        }
    }

    /** The plan's {@code recovery.concurrentScenarios}, false when the plan is not readable here. */
    boolean concurrentScenarios(String plan) {
        if (plansDir == null || !Files.isRegularFile(plansDir.resolve(plan + ".yaml"))) {
            return false;
        }
        return RecoveryStarter.concurrentScenarios(() -> new PlanRepository(plansDir).load(plan));
    }
}
