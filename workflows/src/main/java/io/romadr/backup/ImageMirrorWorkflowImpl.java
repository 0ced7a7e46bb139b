package io.romadr.backup;

import io.romadr.runtime.Steps;
import io.romadr.plan.ImageBackupSpec;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.Outcome;
import io.romadr.report.ReportFormatter;
import io.romadr.report.RunFailure;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

public class ImageMirrorWorkflowImpl extends BackupWorkflowBase<ImageMirrorReport> implements ImageMirrorWorkflow {
    /** The seed's {@code $(date +%Y%m%d-%H%M%S)}, in UTC so every worker names the same run the same. */
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private BackupRequest request;
    private String timestampTag = "";
    private final List<ImageMirrorResult> results = new ArrayList<>();
    private final List<ImageRetentionResult> retention = new ArrayList<>();

    @Override
    public ImageMirrorReport mirror(BackupRequest request) {
        this.request = request;
        run = new BackupWorkflowSupport("backup-images", request.plan()).notifyAsBackup("images");
        try {
            RecoveryPlan plan = run.loadPlan(request.plan(), "backup.images", b -> b.images() != null);
            ImageBackupSpec images = plan.backup().images();
            timestampTag = TIMESTAMP.format(Instant.ofEpochMilli(run.startedAt));
            for (String repository : images.repositories()) {
                mirrorOne(plan.name(), images, repository);
            }
        } catch (Steps.Failed e) {
            throw run.failed(RunFailure.BACKUP_FAILED, this::report, "Image mirror failed at " + e.getMessage());
        }
        run.failIfAnyBad(results, ImageMirrorResult::ok, ImageMirrorWorkflowImpl::problemOf,
                "repositories not mirrored",
                this::report);
        int sent = results.stream().mapToInt(ImageMirrorResult::blobsSent).sum();
        long bytes = results.stream().mapToLong(ImageMirrorResult::bytesSent).sum();
        int deleted = retention.stream().mapToInt(r -> r.deletedTags().size()).sum();
        return run.finish(Outcome.RECOVERED, this::report,
                "Mirrored " + results.size() + " repositories: " + sent + " blob(s) sent ("
                        + ReportFormatter.bytes(bytes) + "), "
                        + results.stream().mapToInt(ImageMirrorResult::blobsSkipped)
                                .sum()
                        + " already present; retention removed " + deleted + " tag(s).");
    }

    /** A repository that fails is recorded and the others still run; retention only after a good mirror. */
    private void mirrorOne(String plan, ImageBackupSpec images, String repository) {
        ImageMirrorResult result;
        try {
            result = run.steps.check("mirror-" + repository,
                    () -> run.images.mirrorRepository(new ImageMirrorRequest(plan, images, repository, timestampTag)),
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
