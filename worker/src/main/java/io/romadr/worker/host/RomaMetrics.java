package io.romadr.worker.host;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * roma-dr's own counters, next to the Temporal SDK's in the same registry (Prometheus names in brackets):
 * <ul>
 *   <li>{@code romadr_recoveries_started_total{plan,source}}: recoveries this host started (not the ones a
 *       webhook attached to because they were already running);</li>
 *   <li>{@code romadr_webhook_requests_total{endpoint,outcome}}: every webhook request, by how it ended
 *       ({@code ok}, {@code unauthorized}, {@code bad_request}, {@code payload_too_large},
 *       {@code unsupported_media_type}, {@code unprocessable}, {@code unavailable});</li>
 *   <li>{@code romadr_webhook_alerts_total{endpoint,action}}: what each alert or request did ({@code started},
 *       {@code attached}, {@code resolved_recorded}, {@code ignored}, {@code refused}, {@code invalid}).</li>
 * </ul>
 * Finished and breached recoveries are counted by the worker itself ({@link RecoveryOutcomeInterceptor}).
 */
public final class RomaMetrics {
    private final MeterRegistry registry;

    public RomaMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void recoveryStarted(String plan, String source) {
        Counter.builder("romadr.recoveries.started").description("Recoveries started by this host")
                .tag("plan", plan).tag("source", source).register(registry).increment();
    }

    public void webhookRequest(String endpoint, String outcome) {
        Counter.builder("romadr.webhook.requests").description("Webhook requests by outcome")
                .tag("endpoint", endpoint).tag("outcome", outcome).register(registry).increment();
    }

    public void webhookAction(String endpoint, String action) {
        Counter.builder("romadr.webhook.alerts").description("What each alert or request did")
                .tag("endpoint", endpoint).tag("action", action).register(registry).increment();
    }

    public MeterRegistry registry() {
        return registry;
    }
}
