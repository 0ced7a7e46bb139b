package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One rebuild step run on the worker host (e.g. {@code git pull}, {@code docker build}). Steps must be safe to run
 * twice, as the seed's are: a retried step starts over. {@code env} holds no secret: see {@link EnvValue}.
 */
public record CommandStep(
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) List<String> command,
        String workdir,
        Map<String, EnvValue> env,
        @JsonDeserialize(using = DurationDeserializer.class) Duration timeout) {

    public CommandStep {
        InvalidFieldException.requireText(name, "name");
        command = InvalidFieldException.requireCommand(command, "[git, pull, origin, main]");
        env = env == null ? Map.of() : Map.copyOf(env);
        timeout = timeout == null ? Duration.ofMinutes(10) : timeout;
        InvalidFieldException.require(!timeout.isZero() && !timeout.isNegative(), "timeout",
                "must be longer than zero");
    }
}
