package io.romadr.worker.tls;

import io.romadr.worker.CliRun;
import io.romadr.worker.WorkerMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the TLS tests share: a plan whose backup catalog is a real workflow without Docker, and command runs. */
final class TlsFixtures {
    static final String PLAN = "tls";

    private TlsFixtures() {
    }

    /** A plans directory with one plan backed up to an empty local store: "backups list" runs its workflow. */
    static Path plans(Path dir) throws IOException {
        Path plans = Files.createDirectories(dir.resolve("plans"));
        Path store = Files.createDirectories(dir.resolve("store"));
        Files.writeString(plans.resolve(PLAN + ".yaml"), """
                name: %s
                service:
                  composeProject: romadr-tls-test
                  containers: [{ service: app }]
                  healthChecks:
                    - name: present
                      exec: { service: app, command: [true], timeout: 5s }
                rto: { service: 15m }
                backup:
                  store: { uri: "%s" }
                  state: { service: app, path: /data/state }
                """.formatted(PLAN, store.toUri()));
        return plans;
    }

    /** {@code roma-dr backups list} of the plan: a workflow a worker must run (exit 0: an empty catalog). */
    static CliRun backupsList(String address, String taskQueue, String... connection) {
        List<String> args = new ArrayList<>(List.of("backups", "list", "--plan", PLAN, "--no-verify",
                "--connect-timeout", "10"));
        args.addAll(List.of(connection));
        return CliRun.of(address, taskQueue, args.toArray(String[]::new));
    }

    static CliRun cli(String address, String... args) {
        return CliRun.of(address, "roma-dr-tls-none", args);
    }

    /** {@code roma-dr worker ...} in this JVM, for a worker that must fail at start (exit code and stderr). */
    static CliRun bareWorkerThatFails(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = WorkerMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("worker"));
        all.addAll(List.of(args));
        int exit = cl.execute(all.toArray(String[]::new));
        return new CliRun(exit, out.toString(), err.toString());
    }
}
