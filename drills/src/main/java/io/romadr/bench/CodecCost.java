package io.romadr.bench;

import static io.romadr.bench.BenchmarkSupport.mean;
import static io.romadr.bench.BenchmarkSupport.median;

import io.romadr.plan.RecoveryPlan;
import io.romadr.temporal.RomaClientOptions;
import io.romadr.temporal.codec.AesGcmPayloadCodec;
import io.romadr.temporal.codec.PayloadKeys;
import io.temporal.api.common.v1.Payload;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The output of {@code bench/restart-benchmark.sh --codec} (docs/benchmarks.md section 11): the Scenario 1 restart
 * recovery with payloads in clear and encrypted, in alternating rounds of one process, as a ratio; and, for context,
 * the codec alone on the payload roma-dr writes most (the loaded plan), single thread.
 */
final class CodecCost {
    private static final long WARM_UP_NANOS = 1_000_000_000L;
    private static final long MEASURE_NANOS = 3_000_000_000L;

    private CodecCost() {
    }

    static String markdown(int runs, RestartBenchmark.Results plain, RestartBenchmark.Results encryptedSide,
            PayloadKeys keys, RecoveryPlan plan, String dockerVersion, String command) {
        List<Long> plainDone = plain.done;
        List<Long> encryptedDone = encryptedSide.done;
        List<Long> plainHealthy = plain.healthy;
        List<Long> encryptedHealthy = encryptedSide.healthy;
        Payload payload = RomaClientOptions.converter(null).toPayload(plan).orElseThrow();
        AesGcmPayloadCodec codec = new AesGcmPayloadCodec(keys);
        Payload encrypted = codec.encode(List.of(payload)).get(0);
        double encodeMicros = microsPerCall(() -> codec.encode(List.of(payload)));
        double decodeMicros = microsPerCall(() -> codec.decode(List.of(encrypted)));
        List<Double> paired = new ArrayList<>();
        for (int i = 0; i < plainDone.size(); i++) {
            paired.add((double) encryptedDone.get(i) / plainDone.get(i));
        }
        StringBuilder m = new StringBuilder();
        m.append("#### Scenario 1 restart recovery with payloads in clear and encrypted\n\n");
        m.append("- Date: ").append(ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT))).append('\n');
        m.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (nproc), Docker ")
                .append(dockerVersion).append(", Java ").append(Runtime.version()).append('\n');
        m.append("- Command: `").append(command).append("`\n");
        m.append("- Runs: ").append(runs).append(" per side, the sides in turn (each round starts with the other ")
                .append("side), after one uncounted warm-up round; before every run `docker kill` of the `roma` ")
                .append("container. Both sides: `ServiceRecoveryWorkflow.recover` on one embedded Temporal, each ")
                .append("with its own client and worker in this JVM; encrypted = `RomaClientOptions.of(namespace, ")
                .append("keys)` (AES-256-GCM, failure attributes too), the same plan and sandbox\n\n");
        m.append("| side | done median ms | done mean ms | healthy median ms |\n|---|---:|---:|---:|\n");
        m.append(String.format(Locale.ROOT, "| payloads in clear | %.0f | %.0f | %.0f |%n", median(plainDone),
                mean(plainDone), median(plainHealthy)));
        m.append(String.format(Locale.ROOT, "| payloads encrypted | %.0f | %.0f | %.0f |%n%n", median(encryptedDone),
                mean(encryptedDone), median(encryptedHealthy)));
        m.append(String.format(Locale.ROOT, "**Time to recovered (verified), encrypted / clear: %.3fx (medians), "
                + "%.3fx (means), %.3fx (median of the per-round ratios); goal <= 1.05.**%n%n",
                median(encryptedDone) / median(plainDone), mean(encryptedDone) / mean(plainDone), median(paired)));
        m.append(String.format(Locale.ROOT, "The codec alone, one thread, on the loaded plan as its activity result "
                + "carries it (%d bytes of JSON; %d bytes encrypted): encode %.1f us (%.0f payloads/s, %.1f MiB/s), "
                + "decode %.1f us (%.0f payloads/s, %.1f MiB/s).%n",
                payload.getSerializedSize(), encrypted.getSerializedSize(), encodeMicros, 1e6 / encodeMicros,
                mib(payload.getSerializedSize(), encodeMicros), decodeMicros, 1e6 / decodeMicros,
                mib(payload.getSerializedSize(), decodeMicros)));
        m.append('\n');
        RestartBenchmark.parts(m, "Payloads in clear: the timeline's steps (workflow time, ms)", plain, runs);
        RestartBenchmark.parts(m, "Payloads encrypted: the timeline's steps (workflow time, ms)", encryptedSide, runs);
        return m.toString();
    }

    private static double mib(int bytes, double micros) {
        return bytes / (micros / 1e6) / (1024.0 * 1024.0);
    }

    /** Mean microseconds per call over {@link #MEASURE_NANOS}, after {@link #WARM_UP_NANOS} of warm-up. */
    private static double microsPerCall(Runnable call) {
        long end = System.nanoTime() + WARM_UP_NANOS;
        while (System.nanoTime() < end) {
            call.run();
        }
        long calls = 0;
        long start = System.nanoTime();
        end = start + MEASURE_NANOS;
        long now;
        do {
            call.run();
            calls++;
            now = System.nanoTime();
        } while (now < end);
        return (now - start) / 1e3 / calls;
    }
}
