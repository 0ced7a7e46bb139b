package io.romadr.worker.host;

/**
 * A webhook request refused for a reason the client can act on; mapped to its status code and a JSON body
 * {@code {"code", "outcome", "message", "field"}} by {@link WebhookExceptionMapper}. Messages never carry a secret
 * or the request body.
 */
public final class WebhookException extends RuntimeException {
    private final int status;
    private final String outcome;
    private final String field;

    private WebhookException(int status, String outcome, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.outcome = outcome;
        this.field = field;
    }

    public static WebhookException unauthorized(String message) {
        return new WebhookException(401, "unauthorized", message, null);
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

    public static WebhookException unsupportedMediaType(String got) {
        return new WebhookException(415, "unsupported_media_type",
                "Content-Type must be application/json" + (got == null ? " (none sent)" : ", got " + got), null);
    }

    public static WebhookException unprocessable(String field, String problem) {
        return new WebhookException(422, "unprocessable", field + ": " + problem, field);
    }

    public static WebhookException unavailable(String message) {
        return new WebhookException(503, "unavailable", message, null);
    }

    public int status() {
        return status;
    }

    public String outcome() {
        return outcome;
    }

    public String field() {
        return field;
    }
}
