package io.romadr.activities.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.aws.MotoServer;
import io.romadr.activities.objectstore.ObjectInfo;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.objectstore.ObjectStores;
import io.romadr.activities.objectstore.S3ObjectStore;
import io.romadr.plan.BackupStore;
import io.romadr.scenario.drill.DrillActivities;
import io.romadr.scenario.drill.DrillCatalog;
import io.romadr.scenario.drill.DrillReport;
import io.romadr.scenario.drill.DrillReport.ActionItem;
import io.romadr.scenario.drill.DrillReport.SignOffRecord;
import io.romadr.scenario.drill.DrillReport.TimelineRow;
import io.romadr.scenario.drill.DrillReportJson;
import io.romadr.scenario.drill.ListDrillReportsRequest;
import io.romadr.scenario.drill.StoreDrillReportRequest;
import io.romadr.scenario.drill.StoredDrillReport;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Drill reports stored and listed through the real {@link DockerDrillActivities} (a Temporal activity environment)
 * in a real local directory and in S3 on moto: the three objects, a self-contained page, a re-store that overwrites,
 * an unreadable report that is named, not fatal, and drill ids that are no safe key.
 */
@org.junit.jupiter.api.Tag("integration")
class DrillReportStoreTest {
    static final long START = 1_796_623_200_000L; // 2026-12-07 06:00:00 UTC
    /** The one http reference the page may hold: the inline SVG's namespace, which is a name, not a fetch. */
    static final String SVG_NAMESPACE = "xmlns=\"http://www.w3.org/2000/svg\"";
    static final Pattern FETCHED = Pattern.compile("https?://|@import|url\\(", Pattern.CASE_INSENSITIVE);

    static MotoServer moto;

    @TempDir
    Path dir;
    private TestActivityEnvironment env;
    private DrillActivities drills;
    /** The store under test as the worker opens it; and the same one, opened again, to look at the objects. */
    private BackupStore spec;
    private Function<BackupStore, ObjectStore> stores;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    @AfterEach
    void closeEnv() {
        if (env != null) {
            env.close();
        }
    }

    private void open(String kind) {
        if (kind.equals("s3")) {
            spec = new BackupStore("s3://" + moto.freshBucket() + "/backups/roma", moto.endpoint().toString(),
                    MotoServer.REGION, true);
            stores = s -> new S3ObjectStore(s, moto.credentials(), S3ObjectStore.MIN_PART_SIZE);
        } else {
            spec = new BackupStore(dir.resolve("store").toUri().toString(), null, null, null);
            stores = DrillReportStoreTest::openLocal;
        }
        env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(new DockerDrillActivities(null, null, null,
                new DrillReportStore(stores), List.of()));
        drills = env.newActivityStub(DrillActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
    }

    private static ObjectStore openLocal(BackupStore s) {
        try {
            return ObjectStores.open(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DrillReport report(String id, String plan, long startedAt, boolean managerSigned) {
        return new DrillReport(id, "2026-12-07", "service-failure", "Service restart (Scenario 1)", plan, "carol",
                "alice", "bob", "dave", "Service restart within 15 min", true, 900_000L, 83_000L, "None",
                startedAt, startedAt + 90_000L,
                List.of(new TimelineRow(0, 4_000, "pre-drill", "Documented current state", "Success"),
                        new TimelineRow(5_000, 500, "fault", "Injected fault: kill roma", "Success"),
                        new TimelineRow(36_000, 20_000, "recovery", "restart roma", "Success"),
                        new TimelineRow(56_000, 32_000, "verify", "verify health", "Success")),
                List.of("Alert took 30 s to fire"), List.of(new ActionItem("Shorten the alert's for:", "bob", false)),
                List.of(new SignOffRecord("operator", "alice", startedAt + 100_000, ""),
                        new SignOffRecord("observer", "bob", startedAt + 200_000, ""),
                        managerSigned
                                ? new SignOffRecord("manager", "dave", startedAt + 300_000, "ok")
                                : new SignOffRecord("manager", "", 0, "not signed within 24h")),
                List.of("container roma: running, image sha256:abc"), id + "-recovery", "recovered in 01:23");
    }

    private String read(String key) throws IOException {
        try (ObjectStore store = stores.apply(spec)) {
            return new String(store.read(key), StandardCharsets.UTF_8);
        }
    }

    private List<String> keys(String prefix) throws IOException {
        try (ObjectStore store = stores.apply(spec)) {
            return store.list(prefix).stream().map(ObjectInfo::key).toList();
        }
    }

    private void put(String key, String content) throws IOException {
        try (ObjectStore store = stores.apply(spec)) {
            store.put(key, content.getBytes(StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void aReportIsStoredAsThreeObjectsAndListedBackOldestFirst(String kind) throws Exception {
        open(kind);
        String prefix = "drills/roma/2026-12-07-service-failure-";
        StoredDrillReport newer = drills.storeReport(new StoreDrillReportRequest(spec, report("drill-b", "roma",
                START + 86_400_000L, true)));
        StoredDrillReport older = drills.storeReport(new StoreDrillReportRequest(spec, report("drill-a", "roma",
                START, false)));
        drills.storeReport(new StoreDrillReportRequest(spec, report("drill-c", "roma2", START, true)));

        assertEquals(List.of(prefix + "drill-a.html", prefix + "drill-a.json", prefix + "drill-a.md",
                prefix + "drill-b.html", prefix + "drill-b.json", prefix + "drill-b.md"), keys("drills/roma/"));
        assertEquals(prefix + "drill-a", older.keyPrefix());
        assertTrue(read(prefix + "drill-a.md").contains("Service restart (Scenario 1)"), read(prefix
                + "drill-a.md"));
        assertEquals(report("drill-a", "roma", START, false), DrillReportJson.fromJson(read(prefix
                + "drill-a.json")));
        String html = read(prefix + "drill-a.html");
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("<svg"), html);
        assertFalse(FETCHED.matcher(html.replace(SVG_NAMESPACE, "")).find(),
                "the page fetches nothing from elsewhere: " + html);

        if (kind.equals("s3")) {
            assertEquals(spec.uri() + "/" + prefix + "drill-a.html", older.location());
            String bucket = spec.uri().substring("s3://".length(), spec.uri().indexOf('/', "s3://".length()));
            assertEquals(html, moto.s3().getObjectAsBytes(r -> r.bucket(bucket).key("backups/roma/" + prefix
                    + "drill-a.html")).asUtf8String());
        } else {
            assertTrue(older.location().startsWith("file:/"), older.location());
            assertEquals(html, Files.readString(Path.of(URI.create(older.location()))));
        }

        DrillCatalog catalog = drills.listReports(new ListDrillReportsRequest(spec, "roma"));
        assertEquals("", catalog.problem());
        assertEquals("roma", catalog.plan());
        assertTrue(older.location().startsWith(catalog.store() + "/drills/roma/"), catalog.store());
        assertEquals(List.of(older, newer), catalog.reports());
        StoredDrillReport a = catalog.reports().get(0);
        assertEquals("service-failure", a.scenario());
        assertEquals("2026-12-07", a.date());
        assertTrue(a.success());
        assertEquals(900_000L, a.rtoTargetMillis());
        assertEquals(83_000L, a.rtoActualMillis());
        assertFalse(a.signedOff(), "the manager did not sign");
        assertTrue(catalog.reports().get(1).signedOff());
        assertEquals(1, drills.listReports(new ListDrillReportsRequest(spec, "roma2")).reports().size());
        assertEquals(List.of(), drills.listReports(new ListDrillReportsRequest(spec, "other")).reports());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void storingTheSameDrillAgainOverwritesItsObjects(String kind) throws Exception {
        open(kind);
        drills.storeReport(new StoreDrillReportRequest(spec, report("drill-a", "roma", START, false)));
        StoredDrillReport again = drills.storeReport(new StoreDrillReportRequest(spec, report("drill-a", "roma",
                START, true)));

        assertEquals(3, keys("drills/roma/").size(), keys("drills/roma/").toString());
        assertTrue(read(again.keyPrefix() + ".md").contains("dave"), read(again.keyPrefix() + ".md"));
        assertTrue(read(again.keyPrefix() + ".html").contains("dave"));
        DrillCatalog catalog = drills.listReports(new ListDrillReportsRequest(spec, "roma"));
        assertEquals(List.of(again), catalog.reports());
        assertTrue(catalog.reports().get(0).signedOff());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void anUnreadableOrHalfStoredReportIsNamedInTheProblemAndTheOthersAreListed(String kind) throws Exception {
        open(kind);
        StoredDrillReport good = drills.storeReport(new StoreDrillReportRequest(spec, report("drill-a", "roma",
                START, true)));
        put("drills/roma/2026-12-08-service-failure-broken.json", "{\"workflowId\": \"broken\", ");
        put("drills/roma/2026-12-08-service-failure-broken.html", "<html></html>");
        put("drills/roma/2026-12-09-service-failure-empty.json", "{}");
        put("drills/roma/2026-12-09-service-failure-empty.html", "<html></html>");
        put("drills/roma/2026-12-10-service-failure-half.json", DrillReportJson.toJson(report("half", "roma",
                START, true)));

        DrillCatalog catalog = drills.listReports(new ListDrillReportsRequest(spec, "roma"));

        assertEquals(List.of(good), catalog.reports());
        assertTrue(catalog.problem().startsWith("skipped 3 report(s): "), catalog.problem());
        assertTrue(catalog.problem().contains("drills/roma/2026-12-08-service-failure-broken.json: not a drill "
                + "report"), catalog.problem());
        assertTrue(catalog.problem().contains("drills/roma/2026-12-09-service-failure-empty.json: not a drill "
                + "report"), catalog.problem());
        assertTrue(catalog.problem().contains("drills/roma/2026-12-10-service-failure-half.json: no HTML page"),
                catalog.problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void aDrillIdThatIsNoSafeKeyIsSanitisedAndListedUnderItsOwnId(String kind) throws Exception {
        open(kind);
        String odd = "../../etc/drill id:2026-12-07T05:00:00Z\\x";
        StoredDrillReport stored = drills.storeReport(new StoreDrillReportRequest(spec, report(odd, "roma", START,
                true)));
        StoredDrillReport similar = drills.storeReport(new StoreDrillReportRequest(spec, report(
                ".._.._etc_drill_id_2026-12-07T05_00_00Z_x", "roma", START + 1, true)));

        String segment = stored.keyPrefix().substring("drills/roma/".length());
        assertTrue(segment.matches("2026-12-07-service-failure-[A-Za-z0-9._-]+"), stored.keyPrefix());
        assertNotEquals(stored.keyPrefix(), similar.keyPrefix(), "two drill ids never share a key");
        assertEquals(6, keys("drills/roma/").size(), keys("drills/roma/").toString());
        if (kind.equals("local")) {
            try (var files = Files.list(dir)) {
                assertEquals(List.of(dir.resolve("store")), files.toList(), "nothing written beside the store");
            }
        }
        DrillCatalog catalog = drills.listReports(new ListDrillReportsRequest(spec, "roma"));
        assertEquals(List.of(odd, similar.drillId()), catalog.reports().stream().map(StoredDrillReport::drillId)
                .toList());
        assertEquals("", catalog.problem());
    }

    @Test
    void aStoreThatCannotBeOpenedFailsTheActivityAsRetryableIo() {
        spec = new BackupStore("file:///proc/roma-dr-cannot-be-here", null, null, null);
        env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(new DockerDrillActivities(null, null, null,
                new DrillReportStore(DrillReportStoreTest::openLocal), List.of()));
        drills = env.newActivityStub(DrillActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());

        ActivityFailure e = assertThrows(ActivityFailure.class, () -> drills.listReports(
                new ListDrillReportsRequest(spec, "roma")));

        ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertEquals(DockerDrillActivities.REPORT_STORE_IO, cause.getType());
        assertFalse(cause.isNonRetryable());
        assertTrue(cause.getOriginalMessage().startsWith("listing the drill reports of plan roma in "
                + spec.uri() + " failed: "), cause.getOriginalMessage());
    }

    @Test
    void aWorkerWithoutAReportStoreRefusesAtOnce() {
        env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(new DockerDrillActivities(null, null, null, null, List.of()));
        drills = env.newActivityStub(DrillActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1)).build());
        BackupStore anywhere = new BackupStore(dir.toUri().toString(), null, null, null);

        ActivityFailure e = assertThrows(ActivityFailure.class, () -> drills.storeReport(
                new StoreDrillReportRequest(anywhere, report("drill-a", "roma", START, true))));

        ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertEquals(DockerDrillActivities.NO_REPORT_STORE, cause.getType());
        assertTrue(cause.isNonRetryable());
    }
}
