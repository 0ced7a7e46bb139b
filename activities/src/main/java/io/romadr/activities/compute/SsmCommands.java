package io.romadr.activities.compute;

import io.romadr.activities.aws.AwsClients;
import io.romadr.activities.digest.Sha256;
import io.romadr.activities.poll.Deadline;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.CommandStatus;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;

/**
 * Shell commands on an EC2 instance through AWS Systems Manager Run Command ({@code AWS-RunShellScript}): sent as
 * one quoted shell line, awaited by polling the invocation, and, with an idempotency key, never sent twice while an
 * earlier one runs or after it succeeded. Env values end up in SSM's command history: never pass secrets as env.
 */
final class SsmCommands {
    static final String DOCUMENT = "AWS-RunShellScript";
    static final String COMMENT_PREFIX = "roma-dr";
    private static final Set<String> RUNNING = Set.of("Pending", "InProgress", "Delayed", "Cancelling");
    private static final Set<CommandStatus> ENDED_BADLY = EnumSet.of(CommandStatus.FAILED, CommandStatus.CANCELLED,
            CommandStatus.CANCELLING, CommandStatus.TIMED_OUT);
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Beyond the command's own timeout (SSM's executionTimeout), how long to wait for SSM to report. */
    private static final Duration REPORT_GRACE = Duration.ofMinutes(2);
    private static final Duration HELPER_TIMEOUT = Duration.ofMinutes(10);

    private final SsmClient ssm;
    private final String region;
    private Duration poll = Duration.ofSeconds(2);

    SsmCommands(SsmClient ssm, String region) {
        this.ssm = ssm;
        this.region = region;
    }

    /** How often command status is polled (tests shorten it). */
    void pollEvery(Duration interval) {
        this.poll = interval;
    }

    Duration poll() {
        return poll;
    }

    /**
     * Sends the command as one shell line ({@code cd <workdir> && export K='v' && 'argv0' 'argv1' ...}, every word
     * single-quoted) and waits for it. With an idempotency key, the command's comment is {@code roma-dr <first 32
     * hex of SHA-256(key)>}, and a command with that comment already sent to the instance is awaited instead of sending
     * a new one while it runs or when it succeeded (a worker that died waiting for it does not run it twice); one that
     * failed, timed out or was cancelled is sent again.
     */
    CommandResult run(String serverId, ServerCommand command, Runnable beat) throws IOException {
        String script = script(command);
        String comment = comment(command.idempotencyKey());
        String commandId = null;
        if (command.idempotencyKey() != null) {
            commandId = findSent(serverId, comment);
        }
        if (commandId == null) {
            try {
                commandId = send(serverId, script, comment, command.timeout());
            } catch (SdkException e) {
                throw failure("SendCommand " + commandDescription(command) + " to instance " + serverId, e);
            }
        }
        return await(serverId, commandId, command.timeout().plus(REPORT_GRACE), beat);
    }

    /**
     * One of the provider's own shell lines (already quoted), sent as is without an idempotency key: writing,
     * extracting and reading are safe to repeat, so a retry simply sends the line again.
     */
    CommandResult runScript(String serverId, String script) throws IOException {
        String commandId;
        try {
            commandId = send(serverId, script, COMMENT_PREFIX, HELPER_TIMEOUT);
        } catch (SdkException e) {
            throw failure("SendCommand to instance " + serverId, e);
        }
        return await(serverId, commandId, HELPER_TIMEOUT.plus(REPORT_GRACE), () -> {
        });
    }

    /**
     * Sends a probe {@code true} and awaits it; null while the SSM agent has not registered yet (SSM refuses the
     * command with InvalidInstanceId).
     */
    CommandResult probe(String serverId, Duration timeout, Runnable beat) throws IOException {
        String commandId;
        try {
            commandId = send(serverId, "true", COMMENT_PREFIX + " ready-probe", Duration.ofSeconds(60));
        } catch (AwsServiceException e) {
            if (AwsClients.isCode(e, "InvalidInstanceId")) {
                return null;
            }
            throw failure("SendCommand (ready probe) to instance " + serverId, e);
        } catch (SdkException e) {
            throw failure("SendCommand (ready probe) to instance " + serverId, e);
        }
        return await(serverId, commandId, timeout, beat);
    }

    static String comment(String idempotencyKey) {
        return idempotencyKey == null
                ? COMMENT_PREFIX
                : COMMENT_PREFIX + " " + Sha256.hex(idempotencyKey).substring(0, 32);
    }

    private static String commandDescription(ServerCommand command) {
        return "(" + command.command().get(0) + (command.idempotencyKey() == null
                ? ""
                : ", key \"" + command.idempotencyKey() + "\"") + ")";
    }

    /** The one shell line for {@code command}; env names are checked, values single-quoted. */
    static String script(ServerCommand command) {
        StringBuilder sb = new StringBuilder();
        if (command.workdir() != null && !command.workdir().isBlank()) {
            sb.append("cd ").append(quote(command.workdir())).append(" && ");
        }
        if (!command.env().isEmpty()) {
            sb.append("export");
            for (Map.Entry<String, String> e : command.env().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey()).toList()) {
                if (!ENV_NAME.matcher(e.getKey()).matches()) {
                    throw new IllegalArgumentException("not a valid environment variable name: " + e.getKey());
                }
                sb.append(' ').append(e.getKey()).append('=').append(quote(e.getValue() == null ? "" : e.getValue()));
            }
            sb.append(" && ");
        }
        for (int i = 0; i < command.command().size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(quote(command.command().get(i)));
        }
        return sb.toString();
    }

    /** POSIX shell single quoting: {@code it's} becomes {@code 'it'\''s'}. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The newest command already sent to the instance with {@code comment}, or null. */
    private String findSent(String serverId, String comment) throws IOException {
        List<Command> found = new ArrayList<>();
        try {
            ssm.listCommandsPaginator(r -> r.instanceId(serverId)).commands().forEach(c -> {
                if (comment.equals(c.comment()) && DOCUMENT.equals(c.documentName())
                        && c.instanceIds().contains(serverId)) {
                    found.add(c);
                }
            });
        } catch (SdkException e) {
            throw failure("ListCommands for instance " + serverId, e);
        }
        return reusable(found);
    }

    /**
     * Of the commands already sent with a key, the one to wait for: the newest, while it runs or when it succeeded (a
     * worker died waiting for it); null when there is none or the newest failed, timed out or was cancelled, so a
     * retried step really runs the command again.
     */
    static String reusable(List<Command> sent) {
        return sent.stream()
                .max(Comparator.comparing(Command::requestedDateTime, Comparator.nullsFirst(Comparator.naturalOrder())))
                .filter(c -> !ENDED_BADLY.contains(c.status()))
                .map(Command::commandId)
                .orElse(null);
    }

    private String send(String serverId, String script, String comment, Duration timeout) {
        long seconds = Math.max(1, Math.min(172_800, timeout.toSeconds())); // AWS-RunShellScript's limits
        return ssm.sendCommand(r -> r.instanceIds(serverId)
                .documentName(DOCUMENT)
                .comment(comment)
                .parameters(Map.of("commands", List.of(script),
                        "executionTimeout", List.of(Long.toString(seconds)))))
                .command()
                .commandId();
    }

    /** Polls the invocation until it ends or {@code timeout} passes (then it is cancelled and -1 returned). */
    CommandResult await(String serverId, String commandId, Duration timeout, Runnable beat)
            throws IOException {
        Deadline deadline = Deadline.after(timeout);
        Instant started = Instant.now();
        while (true) {
            beat.run();
            GetCommandInvocationResponse inv = null;
            try {
                inv = ssm.getCommandInvocation(r -> r.commandId(commandId).instanceId(serverId));
            } catch (AwsServiceException e) {
                if (!AwsClients.isCode(e, "InvocationDoesNotExist")) { // right after SendCommand: not there yet
                    throw failure("GetCommandInvocation of command " + commandId + " on instance " + serverId, e);
                }
            } catch (SdkException e) {
                throw failure("GetCommandInvocation of command " + commandId + " on instance " + serverId, e);
            }
            if (inv != null && inv.statusAsString() != null && !RUNNING.contains(inv.statusAsString())) {
                return toResult(commandId, inv);
            }
            if (deadline.passed()) {
                try {
                    ssm.cancelCommand(r -> r.commandId(commandId).instanceIds(serverId));
                } catch (SdkException e) {
                    // best effort: it may have just finished
                }
                String stdout = inv == null ? "" : nullToEmpty(inv.standardOutputContent());
                String stderr = inv == null ? "" : nullToEmpty(inv.standardErrorContent());
                return new CommandResult(-1, OutputTail.tail(stdout, OutputTail.DEFAULT_LIMIT),
                        OutputTail.tail(stderr + (stderr.isEmpty() ? "" : "\n") + "timed out after "
                                + Duration.between(started, Instant.now()).toSeconds() + " s waiting for SSM command "
                                + commandId + " (cancelled)", OutputTail.DEFAULT_LIMIT),
                        commandId);
            }
            Deadline.pause(poll);
        }
    }

    private static CommandResult toResult(String commandId, GetCommandInvocationResponse inv) {
        String status = inv.statusAsString();
        int code = inv.responseCode() == null || inv.responseCode() < 0 ? -1 : inv.responseCode();
        if (!"Success".equals(status) && code == 0) {
            code = -1; // Cancelled, TimedOut, Failed before the script ran: not a success
        }
        String stderr = nullToEmpty(inv.standardErrorContent());
        if (!"Success".equals(status) && !"Failed".equals(status)) {
            stderr = stderr + (stderr.isEmpty() ? "" : "\n") + "SSM status " + status
                    + (inv.statusDetails() == null ? "" : " (" + inv.statusDetails() + ")")
                    + ("TimedOut".equals(status) || "ExecutionTimedOut".equals(inv.statusDetails())
                            ? ": timed out after the command's timeout"
                            : "");
        }
        return new CommandResult(code,
                OutputTail.tail(nullToEmpty(inv.standardOutputContent()), OutputTail.DEFAULT_LIMIT),
                OutputTail.tail(stderr, OutputTail.DEFAULT_LIMIT), commandId);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** An error naming the operation and the AWS error code; the service message could quote the command. */
    private IOException failure(String op, SdkException e) {
        return new IOException(op + " in " + region + " failed: " + AwsClients.errorDetail(e));
    }
}
