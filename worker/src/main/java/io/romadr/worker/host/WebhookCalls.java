package io.romadr.worker.host;

import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both webhooks do around their work: count the request by outcome, and turn "Temporal is not there" into a
 * 503 (the sender retries; the workflow IDs make a retry safe) instead of a 500.
 */
final class WebhookCalls {
    private static final Logger log = LoggerFactory.getLogger(WebhookCalls.class);

    private WebhookCalls() {
    }

    static <T> T handle(String endpoint, RomaMetrics metrics, Supplier<T> work) {
        try {
            T result = work.get();
            metrics.webhookRequest(endpoint, "ok");
            return result;
        } catch (WebhookException e) {
            metrics.webhookRequest(endpoint, e.answer().outcome());
            throw e;
        } catch (TemporalWorkerManaged.NotConnectedException | StatusRuntimeException
                | io.temporal.client.WorkflowServiceException e) {
            log.warn("webhook {}: Temporal unavailable: {}", endpoint, e.getMessage());
            metrics.webhookRequest(endpoint, "unavailable");
            throw WebhookException.unavailable("Temporal is unavailable; retry later");
        }
    }
}
