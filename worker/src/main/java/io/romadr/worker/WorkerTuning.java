package io.romadr.worker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;

/**
 * How much one worker carries at once: the worker host's {@code worker:} section, the bare worker's options. A
 * recovery spends most of its life waiting (a wait-healthy poll, a watch window of minutes carried by the worker's
 * watch scheduler without a slot), so the defaults are sized by how many recoveries wait at once, not by CPU: 500
 * concurrent Scenario 1 recoveries on one worker (docs/benchmarks.md, "Scale"). Backups run on their own queue and
 * worker (its slots and pollers below), so they never take the recoveries'.
 *
 * @param maxConcurrentWorkflowTasks workflow tasks run at once (default 200, the SDK's): a task is a short burst of
 *                                   workflow code, so more than this only queues on the CPU
 * @param maxConcurrentActivities    activities run at once, one thread each (default 600): the steps of 500
 *                                   recoveries started at once (assess, restart, wait-healthy, verify) with room to
 *                                   spare; the watch no longer holds one. A slot costs a thread only while used. An
 *                                   activity without a slot waits on the server and its schedule-to-start time counts
 *                                   against the RTO
 * @param workflowPollers            long polls for workflow tasks (default 16; the SDK's 5 made each short step of 50
 *                                   recoveries at once wait seconds for a poller: docs/benchmarks.md section 9)
 * @param activityPollers            long polls for activity tasks (default 16, as above)
 * @param stickyCacheSize            workflows kept in memory between tasks (default 600, the SDK's): a run not cached
 *                                   is replayed from its history at its next task, so it covers every running
 *                                   recovery
 * @param maxWorkflowThreads         threads of cached workflows (default 1800, 3 per cached run; the SDK's is 600):
 *                                   a cached recovery parks 2 to 4 (its main thread, the RTO clock, the RTO 50/80%
 *                                   timers when its plan routes those notices) and one per notice in flight, and a
 *                                   worker out of threads evicts cached runs, which then replay
 * @param backupSlots                the backups worker's workflow task and activity slots (default 20): a backup is
 *                                   disk and network bound, 20 at once is more than a host's disks carry
 * @param backupPollers              the backups worker's workflow and activity pollers (default 2 each): backups
 *                                   start by the schedule, seconds of dispatch do not matter
 */
public record WorkerTuning(int maxConcurrentWorkflowTasks, int maxConcurrentActivities, int workflowPollers,
        int activityPollers, int stickyCacheSize, int maxWorkflowThreads, int backupSlots, int backupPollers) {
    public static final WorkerTuning DEFAULTS = new WorkerTuning(200, 600, 16, 16, 600, 1800, 20, 2);

    /** Each field with the command-line option and environment variable that set it, for error messages. */
    static final String[][] NAMES = {
            {"maxConcurrentWorkflowTasks", "--max-workflow-tasks", "ROMA_DR_MAX_WORKFLOW_TASKS"},
            {"maxConcurrentActivities", "--max-activities", "ROMA_DR_MAX_ACTIVITIES"},
            {"workflowPollers", "--workflow-pollers", "ROMA_DR_WORKFLOW_POLLERS"},
            {"activityPollers", "--activity-pollers", "ROMA_DR_ACTIVITY_POLLERS"},
            {"stickyCacheSize", "--sticky-cache-size", "ROMA_DR_STICKY_CACHE_SIZE"},
            {"maxWorkflowThreads", "--max-workflow-threads", "ROMA_DR_MAX_WORKFLOW_THREADS"},
            {"backupSlots", "--backup-slots", "ROMA_DR_BACKUP_SLOTS"},
            {"backupPollers", "--backup-pollers", "ROMA_DR_BACKUP_POLLERS"},
    };

    /** Refuses a zero or negative value, naming the field (and its option and environment variable). */
    public WorkerTuning {
        int[] values = {maxConcurrentWorkflowTasks, maxConcurrentActivities, workflowPollers, activityPollers,
                stickyCacheSize, maxWorkflowThreads, backupSlots, backupPollers};
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 1) {
                throw new IllegalArgumentException("worker." + NAMES[i][0] + " (" + NAMES[i][1] + ", env "
                        + NAMES[i][2] + "): must be 1 or more, got " + values[i]);
            }
        }
    }

    /** The recovery worker's values as given, the backups worker's defaults. */
    public WorkerTuning(int maxConcurrentWorkflowTasks, int maxConcurrentActivities, int workflowPollers,
            int activityPollers, int stickyCacheSize, int maxWorkflowThreads) {
        this(maxConcurrentWorkflowTasks, maxConcurrentActivities, workflowPollers, activityPollers, stickyCacheSize,
                maxWorkflowThreads, DEFAULTS.backupSlots, DEFAULTS.backupPollers);
    }

    /** The given values, the default for each one not given (null); the backups worker's defaults. */
    public static WorkerTuning of(Integer maxConcurrentWorkflowTasks, Integer maxConcurrentActivities,
            Integer workflowPollers, Integer activityPollers, Integer stickyCacheSize, Integer maxWorkflowThreads) {
        return of(maxConcurrentWorkflowTasks, maxConcurrentActivities, workflowPollers, activityPollers,
                stickyCacheSize, maxWorkflowThreads, null, null);
    }

    /** The given values, the default for each one not given (null). */
    @JsonCreator
    public static WorkerTuning of(@JsonProperty("maxConcurrentWorkflowTasks") Integer maxConcurrentWorkflowTasks,
            @JsonProperty("maxConcurrentActivities") Integer maxConcurrentActivities,
            @JsonProperty("workflowPollers") Integer workflowPollers,
            @JsonProperty("activityPollers") Integer activityPollers,
            @JsonProperty("stickyCacheSize") Integer stickyCacheSize,
            @JsonProperty("maxWorkflowThreads") Integer maxWorkflowThreads,
            @JsonProperty("backupSlots") Integer backupSlots,
            @JsonProperty("backupPollers") Integer backupPollers) {
        WorkerTuning d = DEFAULTS;
        return new WorkerTuning(or(maxConcurrentWorkflowTasks, d.maxConcurrentWorkflowTasks),
                or(maxConcurrentActivities, d.maxConcurrentActivities), or(workflowPollers, d.workflowPollers),
                or(activityPollers, d.activityPollers), or(stickyCacheSize, d.stickyCacheSize),
                or(maxWorkflowThreads, d.maxWorkflowThreads), or(backupSlots, d.backupSlots),
                or(backupPollers, d.backupPollers));
    }

    /** The worker's slots and pollers set on {@code options}. */
    WorkerOptions.Builder applyTo(WorkerOptions.Builder options) {
        return options.setMaxConcurrentWorkflowTaskExecutionSize(maxConcurrentWorkflowTasks)
                .setMaxConcurrentActivityExecutionSize(maxConcurrentActivities)
                .setMaxConcurrentWorkflowTaskPollers(workflowPollers)
                .setMaxConcurrentActivityTaskPollers(activityPollers);
    }

    /** The backups worker's slots and pollers set on {@code options}. */
    WorkerOptions.Builder applyToBackups(WorkerOptions.Builder options) {
        return options.setMaxConcurrentWorkflowTaskExecutionSize(backupSlots)
                .setMaxConcurrentActivityExecutionSize(backupSlots)
                .setMaxConcurrentWorkflowTaskPollers(backupPollers)
                .setMaxConcurrentActivityTaskPollers(backupPollers);
    }

    /** The cache of workflows and its threads set on {@code options}. */
    WorkerFactoryOptions.Builder applyTo(WorkerFactoryOptions.Builder options) {
        return options.setWorkflowCacheSize(stickyCacheSize).setMaxWorkflowThreadCount(maxWorkflowThreads);
    }

    /** One line for the start-up log. */
    public String summary() {
        return "workflow-tasks=" + maxConcurrentWorkflowTasks + " activities=" + maxConcurrentActivities
                + " pollers=" + workflowPollers + "/" + activityPollers + " sticky-cache=" + stickyCacheSize
                + " workflow-threads=" + maxWorkflowThreads + " backups=" + backupSlots + "/" + backupPollers;
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
