package io.romadr.backup;

/**
 * A backup, restore, retention or verification workflow run with {@link BackupWorkflowSupport}: its
 * {@code progress} query answers the report so far, or nothing before the run has started. Each workflow interface
 * declares {@code progress()} with its own report type (client-side typing); this implementation serves them all.
 */
public abstract class BackupWorkflowBase<R> {
    /** Set when the workflow method starts the run. */
    protected BackupWorkflowSupport run;

    /** The report of this run as it stands, with {@code summary}. */
    protected abstract R report(String summary);

    public R progress() {
        return run == null ? null : report("");
    }
}
