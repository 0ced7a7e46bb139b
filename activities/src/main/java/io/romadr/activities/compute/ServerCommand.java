package io.romadr.activities.compute;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One command to run on a server: argv (no shell unless the command is {@code sh -c ...}), working directory (may be
 * null), extra environment, a timeout, and an idempotency key: a provider that can find a command it already sent
 * (SSM: by the command's comment) waits for that one instead of sending it again. Env values are never logged.
 */
public record ServerCommand(List<String> command, String workdir, Map<String, String> env, Duration timeout,
        String idempotencyKey) {
    public ServerCommand {
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("command is required");
        }
        command = List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        timeout = timeout == null ? Duration.ofMinutes(10) : timeout;
    }

    @Override
    public String toString() {
        return "ServerCommand[command=" + command + ", workdir=" + workdir + ", env=" + env.keySet() + ", timeout="
                + timeout + ", idempotencyKey=" + idempotencyKey + "]";
    }
}
