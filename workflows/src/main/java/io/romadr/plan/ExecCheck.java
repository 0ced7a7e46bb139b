package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.List;

/** Run {@code command} inside the container of {@code service}; healthy when it exits 0 within {@code timeout}. */
public record ExecCheck(
        @JsonProperty(required = true) String service,
        @JsonProperty(required = true) List<String> command,
        @JsonDeserialize(using = DurationDeserializer.class) Duration timeout) {

    public ExecCheck {
        InvalidFieldException.requireText(service, "service");
        command = InvalidFieldException.requireCommand(command, "[roma, --version]");
        timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
        InvalidFieldException.require(!timeout.isZero() && !timeout.isNegative(), "timeout",
                "must be longer than zero");
    }
}
