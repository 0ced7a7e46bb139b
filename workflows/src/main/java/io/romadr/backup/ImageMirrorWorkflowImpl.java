package io.romadr.backup;

import io.romadr.runtime.Steps;
import io.romadr.plan.BackupStore;
import io.romadr.plan.ImageBackupSpec;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.Outcome;
import io.romadr.report.ReportFormatter;
import io.romadr.report.RunFailure;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

public class ImageMirrorWorkflowImpl extends BackupWorkflowBase<ImageMirrorReport> implements ImageMirrorWorkflow {
    /** The seed's {@code $(date +%Y%m%d-%H%M%S)}, in UTC so every worker names the same run the same. */
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    /**
     * Version 1: a run with {@link BackupRequest#images()} (registry events) mirrors the pushed tags and only the
     * repositories they name; before it, such a run mirrored every repository's plan tags alone.
     */
    static final String PUSHED_TAGS_CHANGE = "image-mirror-pushed-tags";
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    static final String RECORD_RUN_CHANGE = "image-mirror-records-run";
    private BackupStore store;
    private BackupRequest request;
    private String timestampTag = "";
    private String eventsNote = "";
    private final List<ImageMirrorResult> results = new ArrayList<>();
    private final List<ImageRetentionResult> retention = new ArrayList<>();

    @Override
    public ImageMirrorReport mirror(BackupRequest request) {
        this.request = request;
        run = new BackupWorkflowSupport("backup-images", request.plan()).notifyAsBackup("images");
        try {
            RecoveryPlan plan = run.loadPlan(request.plan(), "backup.images", b -> b.images() != null);
            ImageBackupSpec images = plan.backup().images();
            store = plan.backup().store();
            timestampTag = TIMESTAMP.format(Instant.ofEpochMilli(run.startedAt));
            Map<String, List<String>> pushed = pushedTags(images);
            for (String repository : images.repositories()) {
                if (pushed == null) {
                    mirrorOne(plan.name(), images, repository, List.of());
                } else if (pushed.containsKey(repository)) {
                    mirrorOne(plan.name(), images, repository, pushed.get(repository));
                }
            }
        } catch (Steps.Failed e) {
            throw run.failed(RunFailure.BACKUP_FAILED, this::report, "Image mirror failed at " + e.getMessage());
        }
        run.failIfAnyBad(results, ImageMirrorResult::ok, ImageMirrorWorkflowImpl::problemOf,
                "repositories not mirrored",
                this::report);
        // Version 1 keeps when each good mirror committed: the intervals images are measured by without events.
        if (Workflow.getVersion(RECORD_RUN_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
            recordRun();
        }
        int sent = results.stream().mapToInt(ImageMirrorResult::blobsSent).sum();
        long bytes = results.stream().mapToLong(ImageMirrorResult::bytesSent).sum();
        int deleted = retention.stream().mapToInt(r -> r.deletedTags().size()).sum();
        return run.finish(Outcome.RECOVERED, this::report,
                "Mirrored " + results.size() + " repositories: " + sent + " blob(s) sent ("
                        + ReportFormatter.bytes(bytes) + "), "
                        + results.stream().mapToInt(ImageMirrorResult::blobsSkipped)
                                .sum()
                        + " already present; retention removed " + deleted + " tag(s)." + eventsNote);
    }

    /**
     * For a run from registry events: the pushed tags per repository of the plan, in push order. Only these
     * repositories are mirrored (their plan tags too, so the deployment tag's timestamp and release tags follow a
     * push at once); the others have had no push and wait for the scheduled run. Null for a scheduled run, or a run
     * of a worker from before {@link #PUSHED_TAGS_CHANGE}. Images of another repository or with a malformed tag are
     * named in the summary and left out.
     */
    private Map<String, List<String>> pushedTags(ImageBackupSpec images) {
        if (request.images().isEmpty()
                || Workflow.getVersion(PUSHED_TAGS_CHANGE, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
            return null;
        }
        Map<String, List<String>> pushed = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        for (String image : request.images()) {
            int colon = image.lastIndexOf(':');
            String repository = colon < 0 ? "" : image.substring(0, colon);
            String tag = colon < 0 ? "" : image.substring(colon + 1);
            if (!images.repositories().contains(repository) || !TAG.matcher(tag).matches()) {
                ignored.add(image);
                continue;
            }
            List<String> tags = pushed.computeIfAbsent(repository, r -> new ArrayList<>());
            if (!tags.contains(tag)) {
                tags.add(tag);
            }
        }
        eventsNote = " From registry events: " + pushed.values().stream().mapToInt(List::size).sum()
                + " pushed tag(s) in " + pushed.size() + " of " + images.repositories().size() + " repositories"
                + (pushed.size() < images.repositories().size() ? " (the others wait for the schedule)" : "")
                + (ignored.isEmpty()
                        ? ""
                        : "; ignored, not a repository:tag of the plan: " + String.join(", ",
                                ignored))
                + ".";
        return pushed;
    }

    /**
     * This good run as one sample of {@code images-runs} in the plan's store (one per workflow run, so a retry adds
     * nothing); a run that cannot be recorded costs only the measurement, never the backup.
     */
    private void recordRun() {
        if (store == null) {
            return;
        }
        long committedAt = Workflow.currentTimeMillis();
        try {
            run.steps.run("record-run", () -> {
                run.lags.recordLag(new RecordLagRequest(store, request.plan(), LagHistory.IMAGE_RUNS,
                        List.of(new LagSample(
                                "mirror", request.images().isEmpty() ? "schedule" : "events", run.startedAt,
                                committedAt,
                                run.workflowId))));
                return LagHistory.IMAGE_RUNS;
            }, kind -> "kept in lag/" + request.plan() + "/" + kind + ".json");
        } catch (Steps.Failed e) {
            // Recorded in the timeline; the images are backed up.
        }
    }

    /** A repository that fails is recorded and the others still run; retention only after a good mirror. */
    private void mirrorOne(String plan, ImageBackupSpec images, String repository, List<String> pushedTags) {
        ImageMirrorResult result;
        try {
            result = run.steps.check("mirror-" + repository,
                    () -> run.images.mirrorRepository(new ImageMirrorRequest(plan, images, repository, timestampTag,
                            pushedTags)),
                    ImageMirrorWorkflowImpl::describe, ImageMirrorResult::ok);
        } catch (Steps.Failed e) {
            results.add(new ImageMirrorResult(repository, null, null, e.getMessage()));
            return;
        }
        results.add(result);
        if (!result.ok()) {
            return;
        }
        try {
            retention.add(run.steps.run("retention-" + repository,
                    () -> run.images.applyImageRetention(new ImageRetentionRequest(plan, images, repository)),
                    r -> r.deletedTags().size() + " tag(s) deleted, keeping " + images.keepPerFamily()
                            + " per family"));
        } catch (Steps.Failed e) {
            // The images are backed up; a retention failure is visible in the timeline and retried next run.
        }
    }

    static String describe(ImageMirrorResult r) {
        StringBuilder s = new StringBuilder(r.repository()).append(": ");
        if (!r.problem().isEmpty()) {
            return s.append(r.problem()).toString();
        }
        for (ImageMirrorResult.ImageTagCopy t : r.tags()) {
            s.append(t.tag()).append(t.ok() ? " " + shortDigest(t.digest()) : " FAILED " + t.problem()).append(", ");
        }
        s.append(r.blobsSent()).append(" blob(s) sent (").append(ReportFormatter.bytes(r.bytesSent())).append("), ")
                .append(r.blobsSkipped()).append(" present");
        if (!r.extraTags().isEmpty()) {
            s.append("; tagged ").append(String.join(", ", r.extraTags()));
        }
        return s.toString();
    }

    private static String shortDigest(String digest) {
        return digest == null ? "" : digest.length() > 19 ? digest.substring(0, 19) : digest;
    }

    private static String problemOf(ImageMirrorResult r) {
        if (!r.problem().isEmpty()) {
            return r.repository() + ": " + r.problem();
        }
        return r.repository() + ": " + String.join(", ", r.tags().stream().filter(t -> !t.ok())
                .map(t -> t.tag() + " " + t.problem()).toList());
    }

    @Override
    protected ImageMirrorReport report(String summary) {
        return new ImageMirrorReport(run.workflowId, request.plan(), request.requestedBy(), run.status.outcome(),
                run.startedAt, run.reportTime(), timestampTag, results, retention, run.steps.snapshot(),
                summary);
    }
}
