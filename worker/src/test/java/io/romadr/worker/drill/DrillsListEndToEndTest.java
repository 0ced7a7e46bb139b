package io.romadr.worker.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.drill.DrillReportStore;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.objectstore.ObjectStores;
import io.romadr.plan.BackupStore;
import io.romadr.scenario.drill.DrillReport;
import io.romadr.scenario.drill.DrillReport.SignOffRecord;
import io.romadr.scenario.drill.DrillReport.TimelineRow;
import io.romadr.scenario.drill.StoredDrillReport;
import io.romadr.worker.CliRun;
import io.romadr.worker.EmbeddedStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code roma-dr drills list} on the embedded stack with the production wiring: the worker's DrillCatalogWorkflow
 * reads the drill reports a real local backup store holds (written by the real {@link DrillReportStore}), and the
 * CLI shows each drill type's last stored report, its sign-off and where it is, and names the report it could not
 * read; {@code drills report --plan} points at the newest stored report when Temporal no longer has the drill.
 */
@org.junit.jupiter.api.Tag("integration")
class DrillsListEndToEndTest {
    static final long DEC_1 = 1_796_119_200_000L; // 2026-12-01 10:00:00 UTC

    static DrillReport report(String id, String plan, String scenario, long startedAt, boolean success,
            boolean signed) {
        List<SignOffRecord> signOffs = signed
                ? List.of(new SignOffRecord("operator", "olga", startedAt + 1, ""),
                        new SignOffRecord("observer", "oscar", startedAt + 2, ""),
                        new SignOffRecord("manager", "mia", startedAt + 3, ""))
                : List.of(new SignOffRecord("operator", "olga", startedAt + 1, ""),
                        new SignOffRecord("observer", "", 0, "not signed within 24h"),
                        new SignOffRecord("manager", "", 0, "not signed within 24h"));
        return new DrillReport(id, "2026-12-01", scenario, "", plan, "carol", "olga", "oscar", "mia",
                "recovered within the target", success, 900_000L, success ? 252_000L : null, "None", startedAt,
                startedAt + 300_000L, List.of(new TimelineRow(0, 1_000, "fault", "Injected fault", "Success")),
                List.of(), List.of(), signOffs, List.of(), id + "-recovery", "");
    }

    @Test
    void theLastStoredReportOfEachDrillTypeIsListedWithItsSignOffAndLocation(@TempDir Path dir) throws Exception {
        String name = "drl-" + UUID.randomUUID().toString().substring(0, 8);
        Path storeDir = Files.createDirectories(dir.resolve("store"));
        BackupStore store = new BackupStore(storeDir.toUri().toString(), null, null, null);
        Path plans = Files.createDirectories(dir.resolve("plans"));
        Files.writeString(plans.resolve(name + ".yaml"), """
                name: %s
                service:
                  composeProject: %s
                  containers: [{ service: app }]
                  healthChecks: [{ name: up, http: { url: "http://127.0.0.1:9/health" } }]
                rto: { service: 15m }
                backup:
                  store: { uri: "%s" }
                drills:
                  service-failure: { schedule: "0 10 1 * *", rtoTarget: 15m }
                  data-corruption: { schedule: "0 10 15 1,4,7,10 *" }
                """.formatted(name, name, store.uri()));
        DrillReportStore reports = new DrillReportStore(s -> {
            try {
                return ObjectStores.open(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        reports.store(store, report("drill-sf-1", name, "service-failure", DEC_1 - 30L * 86_400_000L, false, true));
        StoredDrillReport last = reports.store(store, report("drill-sf-2", name, "service-failure", DEC_1, true,
                true));
        reports.store(store, report("drill-dc-1", name, "data-corruption", DEC_1 - 3_600_000L, false, false));
        try (ObjectStore raw = ObjectStores.open(store)) {
            raw.put("drills/" + name + "/2026-12-02-git-loss-broken.json", "{ not json".getBytes(
                    StandardCharsets.UTF_8));
            raw.put("drills/" + name + "/2026-12-02-git-loss-broken.html", "<html></html>".getBytes(
                    StandardCharsets.UTF_8));
        }

        try (EmbeddedStack stack = new EmbeddedStack("roma-dr-" + name)) {
            stack.startWorker(plans, DockerTestSupport.docker());

            CliRun list = stack.cli("drills", "list", "--plan", name, "--plans", plans.toString());

            assertEquals(0, list.exit(), list::toString);
            assertTrue(list.out().lines().anyMatch(l -> l.startsWith("Service restart (Scenario 1)")
                    && l.contains("2026-12-01 10:00") && l.contains("Success: Yes") && l.contains("4m12s / 15m")
                    && l.contains(" yes ")), list::toString);
            assertTrue(list.out().lines().anyMatch(l -> l.startsWith("Backup restore (Scenario 2)")
                    && l.contains("2026-12-01 09:00") && l.contains("Success: No") && l.contains(" NO ")),
                    list::toString);
            assertTrue(list.out().lines().anyMatch(l -> l.startsWith("Git recovery (Scenario 4)")
                    && l.contains("never")), list::toString);
            String location = last.location();
            assertTrue(list.out().contains("service-failure: last drill drill-sf-2, report " + location),
                    list::toString);
            assertTrue(Files.readString(Path.of(URI.create(location))).contains("<svg"), location);
            assertTrue(list.out().contains("reports: skipped 1 report(s): drills/" + name
                    + "/2026-12-02-git-loss-broken.json: "), list::toString);

            CliRun json = stack.cli("drills", "list", "--plan", name, "--plans", plans.toString(), "--format",
                    "json");
            assertEquals(0, json.exit(), json::toString);
            JsonNode lines = new ObjectMapper().readTree(json.out());
            assertEquals("drill-sf-2", lines.get(0).get("lastRun").asText());
            assertTrue(lines.get(0).get("signedOff").asBoolean());
            assertEquals(location, lines.get(0).get("report").asText());
            assertEquals("drill-dc-1", lines.get(1).get("lastRun").asText());
            assertFalse(lines.get(1).get("success").asBoolean());
            assertFalse(lines.get(1).get("signedOff").asBoolean());

            // The newest stored drill never ran on this server: its report is where the store keeps it.
            CliRun report = stack.cli("drills", "report", "--plan", name);
            assertEquals(4, report.exit(), report::toString);
            assertTrue(report.err().contains("Temporal no longer keeps drill drill-sf-2; its stored report: "
                    + location), report::toString);
        }
    }
}
