package io.romadr.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.LocalServerProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code drill git-loss --embedded --web-ui --keep}: the drill runs on a real {@code temporal server start-dev} (the
 * Temporal CLI must be on PATH: a missing CLI fails the test), its Web UI answers on the printed port and lists the
 * drill's workflows, and {@code --keep} leaves the dev server, the sandbox and the plan where it says.
 */
@org.junit.jupiter.api.Tag("integration")
class WebUiDrillTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theDrillRunsOnTheDevServerWhoseWebUiShowsItAndKeepLeavesItAll() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = DrillMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));

        int code = cl.execute("drill", "git-loss", "--embedded", "--web-ui", "--keep", "--commits", "5",
                "--faults", "delete");

        String text = out.toString();
        Matcher server = Pattern.compile("Temporal dev server at 127\\.0\\.0\\.1:\\d+, Web UI: (http://127\\.0\\.0\\.1"
                + ":\\d+)").matcher(text);
        Matcher pid = Pattern.compile("Kept: the Temporal dev server at .*\\(pid (\\d+); stop it with: kill \\d+\\)")
                .matcher(text);
        Matcher kept = Pattern.compile("Kept: repositories .*, work directory (\\S+), git mirror cache (\\S+); the "
                + "plan: (\\S+)").matcher(text);
        boolean serverSaid = server.find();
        boolean pidSaid = pid.find();
        boolean keptSaid = kept.find();
        try {
            assertEquals(0, code, "exit code; stdout:\n" + text + "\nstderr:\n" + err);
            assertTrue(serverSaid, text);
            assertTrue(pidSaid, text);
            assertTrue(keptSaid, text);
            String ui = server.group(1);
            assertEquals(Optional.empty(), LocalServerProcess.httpAnswers(URI.create(ui), 200));
            // What the Web UI's pages show: its API lists the drill's workflows on the dev server.
            HttpResponse<String> workflows = HTTP.send(HttpRequest.newBuilder(URI.create(ui
                    + "/api/v1/namespaces/default/workflows")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, workflows.statusCode(), workflows.body());
            assertTrue(workflows.body().contains("GitRecoveryWorkflow"), workflows.body());
            assertTrue(workflows.body().contains("GitMirrorWorkflow"), workflows.body());
            Path plan = Path.of(kept.group(3));
            assertTrue(Files.readString(plan).contains("primary"), plan.toString());
            assertTrue(Files.isDirectory(Path.of(kept.group(1)).resolve("repos/primary.git")), kept.group(1));
        } finally {
            if (pidSaid) {
                ProcessHandle.of(Long.parseLong(pid.group(1))).ifPresent(ProcessHandle::destroy);
            }
            if (keptSaid) {
                DrillEnvironment.deleteTree(Path.of(kept.group(1)));
                DrillEnvironment.deleteTree(Path.of(kept.group(2)));
            }
        }
    }
}
