package io.romadr.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.backup.ArtifactBackupWorkflow;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupReport;
import io.romadr.backup.BackupRequest;
import io.romadr.scenario.datacorruption.DataCorruptionRecoveryWorkflow;
import io.romadr.scenario.datacorruption.DataRecoveryReport;
import io.romadr.scenario.datacorruption.DataRecoveryRequest;
import io.romadr.worker.host.EmbeddedHost;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The Scenario 2 drill on the embedded default: a busybox sandbox container writing JSON artifacts into a
 * bind-mounted host directory, two artifacts backups taken by the real ArtifactBackupWorkflow into a local store, then
 * each fault in turn (a few files truncated; most files broken and the newest backup corrupt; every backup gone)
 * repaired by the real DataCorruptionRecoveryWorkflow, and every file checked independently afterwards.
 */
@Command(name = "data-corruption", mixinStandardHelpOptions = true,
        description = "Scenario 2 drill: corrupt a sandbox service's JSON artifacts (a few, most, then with no backup "
                + "left) and repair them from backups or by regenerating them.")
public final class DataCorruptionDrill implements Callable<Integer> {
    static final String PLAN = "drill-data";
    static final List<String> FAULTS = List.of("truncate", "widespread", "no-backup");
    /** Strict: trailing garbage after the first value is an error too. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Mixin
    EmbeddedDrill drill;

    @Option(names = "--artifacts", defaultValue = "20",
            description = "JSON artifacts the sandbox holds (at least 4; default: ${DEFAULT-VALUE}).")
    int artifacts;

    @Option(names = "--faults", split = ",", defaultValue = "truncate,widespread,no-backup",
            description = "Faults to inject, in order: truncate, widespread, no-backup (default: ${DEFAULT-VALUE}).")
    List<String> faults;

    @Override
    public Integer call() throws Exception {
        for (String f : faults) {
            if (!FAULTS.contains(f)) {
                throw drill.usage("unknown fault \"" + f + "\": " + String.join(", ", FAULTS));
            }
        }
        if (artifacts < 4) {
            throw drill
                    .usage("--artifacts must be at least 4 (three are truncated by the first fault), got " + artifacts);
        }
        PrintWriter out = drill.out();
        DockerClient docker = DrillEnvironment.docker("drill");
        String image = SandboxImage.ensure(docker);

        Path work = Files.createTempDirectory("roma-dr-data-drill-");
        Path data = Files.createDirectories(work.resolve("out"));
        Path store = Files.createDirectories(work.resolve("store"));
        Path plansDir = Files.createDirectories(work.resolve("plans"));
        String project = "romadr-data-drill-" + UUID.randomUUID().toString().substring(0, 6);
        String container = null;
        List<DataRecoveryReport> reports = new ArrayList<>();
        List<Boolean> filesValid = new ArrayList<>();
        try {
            for (int i = 0; i < artifacts; i++) {
                Files.writeString(data.resolve(fileName(i)), original(i));
            }
            Files.createDirectories(plansDir.resolve("schemas"));
            Files.writeString(plansDir.resolve("schemas/run.json"), """
                    {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                     "required": ["id", "ok"], "properties": {"id": {"type": "integer"}, "ok": {"type": "boolean"}}}
                    """);
            Files.writeString(plansDir.resolve(PLAN + ".yaml"), planYaml(project, store, data, artifacts));
            container = startSandbox(docker, image, project, data);
            try (EmbeddedHost host = drill.startHost(work, plansDir)) {
                WorkflowClient client = host.temporal().client();
                out.println("Sandbox container " + project + "-app-1 (image " + image + "): " + artifacts
                        + " JSON artifacts in " + data + " mounted at /data/out");
                backup(client, out);
                // The two backups differ, so a restore from the older one is visible in the data.
                Files.writeString(data.resolve(fileName(0)), "{\"id\": 0, \"ok\": true, \"note\": \"newer\"}\n");
                String newest = backup(client, out);
                out.println();
                boolean flipped = false;
                for (String fault : faults) {
                    out.println("== Fault: " + inject(fault, data, store, newest, !flipped) + " ==");
                    flipped |= fault.equals("widespread");
                    reports.add(recover(host, fault, out));
                    filesValid.add(checkFiles(data, artifacts, out));
                    out.println();
                }
            }
        } finally {
            if (!drill.keep()) {
                if (container != null) {
                    docker.removeContainerCmd(container).withForce(true).exec();
                }
                DrillEnvironment.deleteTree(work);
            } else {
                drill.kept("container " + project + "-app-1, work directory " + work,
                        plansDir.resolve(PLAN + ".yaml"));
            }
        }

        List<String> summary = new ArrayList<>();
        boolean allOk = true;
        for (int i = 0; i < reports.size(); i++) {
            DataRecoveryReport r = reports.get(i);
            allOk &= r.recoveredWithinRto() && filesValid.get(i);
            String source = r.backupUsed().isEmpty() ? "regenerated" : "restored from " + r.backupUsed();
            summary.add(StepPrinter.summary(faults.get(i), r, (r.corruption() == null
                    ? "no corruption"
                    : r.corruption().extent() + ", " + source) + "; "
                    + (filesValid.get(i) ? "all files valid JSON" : "FILES STILL INVALID")));
        }
        return drill.summary(summary, allOk);
    }

    static String fileName(int i) {
        return "run-" + i + ".json";
    }

    static String original(int i) {
        return "{\"id\": " + i + ", \"ok\": true}\n";
    }

    /** The drill plan; the regenerate command rewrites every artifact on the host, as a pipeline rerun would. */
    static String planYaml(String project, Path store, Path data, int n) throws IOException {
        String script = "i=0; while [ $i -lt " + n + " ]; do "
                + "printf '{\"id\": %d, \"ok\": true, \"regenerated\": true}\\n' $i > run-$i.json; i=$((i+1)); done";
        // JSON is valid YAML flow syntax, and spares us quoting the script by hand.
        String command = JSON.writeValueAsString(List.of("sh", "-c", script));
        return """
                # Scenario 2 drill plan: a busybox sandbox, a local file store, regenerate on the host.
                name: %s
                service:
                  composeProject: %s
                  containers: [{ service: app }]
                  healthChecks: [{ name: up, exec: { service: app, command: [true] } }]
                rto: { service: 15m }
                recovery: { waitHealthy: 30s, pollInterval: 250ms, stopTimeout: 1s }
                backup:
                  store: { uri: "%s" }
                  artifacts:
                    service: app
                    path: /data/out
                    include: ["*.json"]
                    recovery:
                      schema: schemas/run.json
                      restore: corrupted
                      regenerate:
                        - { name: rerun-pipeline, command: %s, workdir: %s, timeout: 1m }
                """.formatted(PLAN, project, store.toUri(), command, JSON.writeValueAsString(data.toString()));
    }

    /** A sleeping busybox labelled as compose service {@code app}, the artifacts directory bind-mounted. */
    private static String startSandbox(DockerClient docker, String image, String project, Path data) {
        String id = docker.createContainerCmd(image)
                .withName(project + "-app-1")
                .withLabels(Map.of(DockerServiceActivities.LABEL_PROJECT, project,
                        DockerServiceActivities.LABEL_SERVICE, "app"))
                .withCmd("sleep", "100000")
                .withHostConfig(HostConfig.newHostConfig().withInit(true)
                        .withBinds(new Bind(data.toString(), new Volume("/data/out"))))
                .exec().getId();
        docker.startContainerCmd(id).exec();
        return id;
    }

    /** Runs an artifacts backup to the end; returns the stored object's key. */
    private String backup(WorkflowClient client, PrintWriter out) {
        ArtifactBackupWorkflow wf = client.newWorkflowStub(ArtifactBackupWorkflow.class,
                drill.options("drill-data-backup"));
        BackupReport r = wf.backup(new BackupRequest(PLAN, "drill"));
        out.println("== Backup before the faults: " + r.summary());
        return r.manifest().objectKey();
    }

    /** Breaks the data (and the store) for {@code fault}; returns what was done, for the heading. */
    static String inject(String fault, Path data, Path store, String newestKey, boolean flipNewest) throws IOException {
        int n = countFiles(data);
        switch (fault) {
            case "truncate" -> {
                for (int i = 1; i <= 3; i++) {
                    truncate(data.resolve(fileName(i)));
                }
                return "3 of " + n + " artifacts truncated (localized)";
            }
            case "widespread" -> {
                int broken = n * 3 / 4;
                for (int i = 0; i < broken; i++) {
                    if (i % 2 == 0) {
                        truncate(data.resolve(fileName(i)));
                    } else {
                        // Well-formed JSON that breaks the schema: the id is a string.
                        Files.writeString(data.resolve(fileName(i)), "{\"id\": \"" + i + "\", \"ok\": true}\n");
                    }
                }
                // Once only (a second flip would repair it), and not after no-backup deleted the object.
                Path object = store.resolve(newestKey);
                if (!flipNewest || !Files.isRegularFile(object)) {
                    return broken + " of " + n + " artifacts broken (the newest backup left as it is)";
                }
                byte[] bytes = Files.readAllBytes(object);
                bytes[bytes.length / 2] ^= 0x01;
                Files.write(object, bytes);
                return broken + " of " + n + " artifacts broken and one byte flipped in the newest backup "
                        + newestKey;
            }
            default -> {
                int deleted = 0;
                Path backups = store.resolve("artifacts");
                if (Files.isDirectory(backups)) {
                    try (Stream<Path> files = Files.walk(backups)) {
                        for (Path f : files.filter(Files::isRegularFile).toList()) {
                            if (f.toString().endsWith(BackupKeys.MANIFEST_SUFFIX)) {
                                deleted++;
                            }
                            Files.delete(f);
                        }
                    }
                }
                for (int i = 0; i < n; i += 3) {
                    truncate(data.resolve(fileName(i)));
                }
                return "every artifacts backup deleted (" + deleted + ") and " + ((n + 2) / 3) + " of " + n
                        + " artifacts truncated";
            }
        }
    }

    private static void truncate(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    }

    private static int countFiles(Path data) throws IOException {
        try (Stream<Path> files = Files.list(data)) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(".json")).count();
        }
    }

    private DataRecoveryReport recover(EmbeddedHost host, String fault, PrintWriter out) throws Exception {
        return drill.recover(host, DataCorruptionRecoveryWorkflow.SCENARIO, PLAN,
                new DataRecoveryRequest(PLAN, "drill", "drill: " + fault), DataRecoveryReport.class,
                new StepPrinter(out));
    }

    /** Independent of the workflow's own verify step: every expected file is there and parses as JSON. */
    static boolean checkFiles(Path data, int n, PrintWriter out) {
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path f = data.resolve(fileName(i));
            try {
                if (JSON.readTree(Files.readAllBytes(f)).isMissingNode()) {
                    bad.add(f.getFileName() + " (empty)");
                }
            } catch (IOException e) {
                bad.add(f.getFileName() + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        out.println(bad.isEmpty()
                ? "Independent check: all " + n + " files in " + data + " parse as JSON"
                : "Independent check: " + bad.size() + " of " + n + " files do NOT parse as JSON: "
                        + String.join(", ", bad));
        return bad.isEmpty();
    }
}
