package io.romadr.worker.cluster;

import io.romadr.worker.crash.WorkerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Worker JVMs ({@link WorkerProcess}) on one task queue, named {@code w1}, {@code w2}, ... A worker is known on the
 * server by the SDK's identity {@code pid@host} (in the history's task events and the pending activities): this maps
 * such an identity back to the process that has that pid.
 */
final class ClusterWorkers implements AutoCloseable {
    private final Map<String, WorkerProcess> byName = new LinkedHashMap<>();

    /** Starts {@code count} workers at once (each waits until it polls) so their JVM start-ups overlap. */
    static ClusterWorkers start(int count, Path logDir, String address, String taskQueue, Path plans,
            Map<String, String> environment) throws InterruptedException {
        ClusterWorkers workers = new ClusterWorkers();
        ExecutorService starter = Executors.newFixedThreadPool(count);
        try {
            List<Future<WorkerProcess>> started = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                String name = "w" + i;
                started.add(starter.submit(
                        () -> WorkerProcess.start(name, logDir, address, taskQueue, plans, environment)));
            }
            IllegalStateException failure = null;
            for (int i = 0; i < count; i++) {
                try {
                    workers.byName.put("w" + (i + 1), started.get(i).get());
                } catch (ExecutionException e) {
                    failure = failure != null
                            ? failure
                            : new IllegalStateException("worker w" + (i + 1) + " did not start", e.getCause());
                }
            }
            if (failure != null) {
                workers.close();
                throw failure;
            }
        } finally {
            starter.shutdown();
        }
        return workers;
    }

    List<String> names() {
        return List.copyOf(byName.keySet());
    }

    WorkerProcess process(String name) {
        WorkerProcess p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no worker " + name + "; workers: " + byName.keySet());
        }
        return p;
    }

    /** The worker whose identity this is ({@code <pid>@<host>}); null when no worker of this cluster has it. */
    String nameOf(String identity) {
        for (var w : byName.entrySet()) {
            if (identity != null && identity.startsWith(w.getValue().pid() + "@")) {
                return w.getKey();
            }
        }
        return null;
    }

    /** E.g. {@code w1 (pid 4242), w2 (pid 4243)}: how to read the identities in the server's histories. */
    String describe() {
        return byName.entrySet().stream().map(w -> w.getKey() + " (pid " + w.getValue().pid() + ")")
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** The names of the workers still running. */
    List<String> alive() {
        return byName.entrySet().stream().filter(w -> w.getValue().isAlive()).map(Map.Entry::getKey).toList();
    }

    @Override
    public void close() {
        byName.values().forEach(WorkerProcess::close);
    }
}
