package io.romadr.worker.host;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A classic Prometheus histogram of fractional values (e.g. the share of an RTO a recovery used), collected into the
 * host's Prometheus registry. Micrometer's distributions round a value up to a whole number before bucketing it, and
 * the Prometheus client's own histogram needs its tracer module, which the host does not ship; this is the small
 * part of both that the host needs.
 */
final class RatioHistogram implements Collector {
    private final String name;
    private final String help;
    private final List<String> labelNames;
    /** Upper bounds, ascending, ending with +Inf. */
    private final double[] bounds;
    private final Map<List<String>, Series> series = new ConcurrentHashMap<>();

    RatioHistogram(String name, String help, List<String> labelNames, double[] upperBounds) {
        this.name = name;
        this.help = help;
        this.labelNames = List.copyOf(labelNames);
        this.bounds = Arrays.copyOf(upperBounds, upperBounds.length + 1);
        this.bounds[upperBounds.length] = Double.POSITIVE_INFINITY;
    }

    void observe(double value, String... labelValues) {
        series.computeIfAbsent(List.of(labelValues), k -> new Series(bounds.length)).observe(bounds, value);
    }

    @Override
    public MetricSnapshot collect() {
        HistogramSnapshot.Builder snapshot = HistogramSnapshot.builder().name(name).help(help);
        series.forEach((values, s) -> {
            synchronized (s) {
                snapshot.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .labels(Labels.of(labelNames, values))
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, s.counts.clone()))
                        .sum(s.sum).build());
            }
        });
        return snapshot.build();
    }

    @Override
    public String getPrometheusName() {
        return name;
    }

    /** One label set's counts per bucket (not cumulative) and sum. */
    private static final class Series {
        final long[] counts;
        double sum;

        Series(int buckets) {
            counts = new long[buckets];
        }

        synchronized void observe(double[] bounds, double value) {
            int i = 0;
            while (value > bounds[i]) {
                i++;
            }
            counts[i]++;
            sum += value;
        }
    }
}
