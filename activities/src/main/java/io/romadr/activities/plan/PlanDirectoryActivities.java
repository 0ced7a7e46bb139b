package io.romadr.activities.plan;

import io.romadr.plan.PlanActivities;
import io.romadr.plan.PlanException;
import io.romadr.plan.PlanLoader;
import io.romadr.plan.PlanRepository;
import io.romadr.plan.RecoveryPlan;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Reads plans from the worker's plans directory. A missing or invalid plan is not retried: it will not heal.
 *
 * <p>A parsed plan is kept while its file is unchanged (same size, modification time and file key), so a recovery
 * does not parse and validate the same YAML again; an edited or replaced file is read afresh by the next call. A
 * file modified in the last {@link #SETTLE} is not kept (as git does for its index): a second edit within the same
 * tick of the file system's clock, at the same size, would leave the stamp unchanged. An invalid plan is never
 * kept: its error is the loader's, every time.
 */
public final class PlanDirectoryActivities implements PlanActivities {
    static final Duration SETTLE = Duration.ofSeconds(2);

    private final PlanRepository plans;
    private final PlanLoader loader = new PlanLoader();
    private final Map<Path, Parsed> parsed = new ConcurrentHashMap<>();

    public PlanDirectoryActivities(PlanRepository plans) {
        this.plans = plans;
    }

    /** What a plan file looked like on disk when it was parsed. */
    private record FileStamp(long size, long modifiedNanos, Object fileKey) {
        boolean settled() {
            return TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()) - modifiedNanos > SETTLE.toNanos();
        }

        static FileStamp of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileStamp(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                        a.fileKey());
            } catch (IOException e) {
                return null; // unreadable now: parse, and let the loader say why
            }
        }
    }

    private record Parsed(FileStamp stamp, RecoveryPlan plan) {
    }

    @Override
    public RecoveryPlan loadPlan(String name) {
        try {
            Path file = plans.file(name);
            FileStamp stamp = FileStamp.of(file);
            Parsed known = parsed.get(file);
            if (stamp != null && known != null && known.stamp().equals(stamp)) {
                return known.plan();
            }
            RecoveryPlan plan = loader.load(file);
            if (stamp != null && stamp.settled()) {
                parsed.put(file, new Parsed(stamp, plan));
            } else {
                parsed.remove(file);
            }
            return plan;
        } catch (PlanRepository.PlanNotFoundException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "PlanNotFound");
        } catch (PlanException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "InvalidPlan");
        }
    }
}
