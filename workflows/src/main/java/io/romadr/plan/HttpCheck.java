package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.net.URI;
import java.time.Duration;

/** GET {@code url} from the worker host; healthy when the status is {@code expectStatus} within {@code timeout}. */
public record HttpCheck(
        @JsonProperty(required = true) String url,
        Integer expectStatus,
        @JsonDeserialize(using = DurationDeserializer.class) Duration timeout) {

    public HttpCheck {
        InvalidFieldException.requireText(url, "url");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("url", "is not a URL: " + e.getMessage());
        }
        InvalidFieldException.require(
                ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null, "url",
                "expected an http:// or https:// URL with a host, got \"" + url + "\"");
        expectStatus = expectStatus == null ? 200 : expectStatus;
        InvalidFieldException.require(expectStatus >= 100 && expectStatus <= 599, "expectStatus",
                "expected an HTTP status between 100 and 599, got " + expectStatus);
        timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
        InvalidFieldException.require(!timeout.isZero(), "timeout", "must be longer than zero");
    }
}
