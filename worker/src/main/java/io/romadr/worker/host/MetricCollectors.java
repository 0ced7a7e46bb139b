package io.romadr.worker.host;

import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the metric collectors ({@link BackupStatusCollector}, {@link RecoveryStatusCollector}) on one daemon thread:
 * once right after start, then every {@code interval} after the previous round ended (a slow store delays the next
 * round instead of piling rounds up). A collector that throws is logged and runs again next round.
 */
public final class MetricCollectors implements Managed {
    private static final Logger log = LoggerFactory.getLogger(MetricCollectors.class);

    private final Duration interval;
    private final List<Runnable> collectors;
    private volatile ScheduledExecutorService executor;

    public MetricCollectors(Duration interval, List<Runnable> collectors) {
        this.interval = interval;
        this.collectors = List.copyOf(collectors);
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "roma-dr-metric-collectors");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::collect, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round of every collector. */
    public void collect() {
        for (Runnable collector : collectors) {
            try {
                collector.run();
            } catch (RuntimeException e) {
                log.warn("metric collector {} failed: {}", collector.getClass().getSimpleName(), e.toString());
            }
        }
    }

    @Override
    public void stop() throws InterruptedException {
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
