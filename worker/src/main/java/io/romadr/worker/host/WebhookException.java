package io.romadr.worker.host;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A webhook request refused for a reason the client can act on; mapped to its status code and a JSON body
 * {@code {"code", "outcome", "message", "field", ...details}} by {@link WebhookExceptionMapper}. Messages never carry a secret
 * or the request body.
 */
public final class WebhookException extends RuntimeException {
    private final Answer answer;

    /**
     * The JSON body the client gets: the status {@code code}, the {@code outcome} (also the request's metric label),
     * the {@code message}, and the {@code field} and {@code details} when there are any.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(int code, String outcome, String message, String field, Object details) {
    }

    private WebhookException(int status, String outcome, String message, String field) {
        this(new Answer(status, outcome, message, field, null));
    }

    private WebhookException(Answer answer) {
        super(answer.message(), null, false, false);
        this.answer = answer;
    }

    /** The same refusal with what was done anyway (e.g. the other alerts of a payload), for the answer's body. */
    public WebhookException with(Object details) {
        return new WebhookException(new Answer(answer.code(), answer.outcome(), answer.message(), answer.field(),
                details));
    }

    public static WebhookException unauthorized(String message) {
        return new WebhookException(401, "unauthorized", message, null);
    }

    /** 401 for a refused JWT: outcome {@code jwt_<reason>} ({@code jwt_expired}, {@code jwt_bad_signature}...). */
    public static WebhookException jwtRefused(String reason, String message) {
        return new WebhookException(401, "jwt_" + reason, message, null);
    }

    public static WebhookException badRequest(String message) {
        return new WebhookException(400, "bad_request", message, null);
    }

    /** 400 naming the field ({@code alerts[0].fingerprint}). */
    public static WebhookException badField(String field, String problem) {
        return new WebhookException(400, "bad_request", field + ": " + problem, field);
    }

    public static WebhookException tooLarge(long limit) {
        return new WebhookException(413, "payload_too_large", "the body is larger than " + limit + " bytes", null);
    }

    /** More alerts in one payload than {@code webhooks.alertmanager.maxAlerts}. */
    public static WebhookException tooManyAlerts(int count, int limit) {
        return new WebhookException(413, "payload_too_large", "alerts: " + count + " alerts in one payload; at most "
                + limit + " (webhooks.alertmanager.maxAlerts)", "alerts");
    }

    /** 409: another scenario's recovery of the plan runs ({@code running} is its workflow ID). */
    public static WebhookException conflict(String message, Object details) {
        return new WebhookException(new Answer(409, "conflict", message, null, details));
    }

    /** 409: a signed request seen before within the replay window. */
    public static WebhookException replayed() {
        return new WebhookException(409, "replayed", "this signed request was already received within the replay"
                + " window; nothing new is started", null);
    }

    public static WebhookException forbidden(String message) {
        return new WebhookException(403, "forbidden", message, null);
    }

    public static WebhookException notFound(String message) {
        return new WebhookException(404, "not_found", message, null);
    }

    /** 429: the client's rate limit; it may retry after the time its answer's Retry-After says. */
    public static WebhookException tooManyRequests(String message) {
        return new WebhookException(429, "too_many_requests", message, null);
    }

    public static WebhookException unsupportedMediaType(String got) {
        return new WebhookException(415, "unsupported_media_type",
                "Content-Type must be application/json" + (got == null ? " (none sent)" : ", got " + got), null);
    }

    public static WebhookException unprocessable(String field, String problem) {
        return new WebhookException(422, "unprocessable", field + ": " + problem, field);
    }

    /** 500 with a message that names what failed, never the input. */
    public static WebhookException internal(String message) {
        return new WebhookException(500, "error", message, null);
    }

    public static WebhookException unavailable(String message) {
        return new WebhookException(503, "unavailable", message, null);
    }

    public Answer answer() {
        return answer;
    }
}
