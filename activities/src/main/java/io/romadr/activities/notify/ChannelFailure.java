package io.romadr.activities.notify;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Why a send failed, in words that hold no credential. Client libraries quote request URLs in their exceptions (a
 * Slack webhook URL is its token), so channels describe the cause by its type, never by its message.
 */
final class ChannelFailure {
    private ChannelFailure() {
    }

    /** "connection refused", "no answer within 2s", ... from the first recognised cause in the chain. */
    static String describe(Throwable failure, Duration timeout) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof HttpTimeoutException || t instanceof InterruptedIOException) {
                return "no answer within " + NoticeText.duration(timeout.toMillis());
            }
            if (t instanceof UnknownHostException) {
                return "unknown host";
            }
            if (t.getCause() == null || t.getCause() == t) {
                return t.getClass().getSimpleName();
            }
        }
        return failure.getClass().getSimpleName();
    }

    /** {@code text} with every occurrence of {@code secret} masked ("" for null). */
    static String redact(String text, String secret) {
        if (text == null) {
            return "";
        }
        return secret == null || secret.isEmpty() ? text : text.replace(secret, "<redacted>");
    }
}
