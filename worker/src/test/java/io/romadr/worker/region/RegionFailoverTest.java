package io.romadr.worker.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.aws.MotoServer;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.objectstore.ObjectStores;
import io.romadr.activities.objectstore.S3ObjectStore;
import io.romadr.plan.BackupStore;
import io.romadr.report.Outcome;
import io.romadr.scenario.siteloss.SiteRecoveryReport;
import io.romadr.scenario.siteloss.SiteRecoveryWorkflow;
import io.romadr.temporal.RecoveryStarter;
import io.romadr.temporal.RomaClientOptions;
import io.romadr.temporal.TaskQueues;
import io.romadr.worker.CliRun;
import io.romadr.worker.EmbeddedStack;
import io.romadr.worker.RomaWorker;
import io.romadr.worker.site.SiteFixture;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A region outage end to end, two regions on the AWS emulator (moto): the plan's backup store is a bucket in us-east-1,
 * its replica a bucket in us-west-2. The replica holds real backups (state, artifacts, secrets, taken by the backup
 * workflows through the CLI with the plan's store pointed at the replica), then the site is lost and the primary
 * region's bucket deleted. {@code roma-dr recover site --region us-west-2} starts Scenario 3 on
 * {@code roma-dr-us-west-2}; the worker polling that queue rebuilds the site from the replica, while a worker on the
 * primary region's queue ({@code roma-dr-us-east-1}) runs and takes none of it.
 *
 * <p>The server comes from the docker provider ({@code site.failover.docker}), as in every site end-to-end test: moto
 * runs no EC2 instance, so the application could not really run there (what the aws provider does on moto is tested
 * in the activities' {@code SiteRecoveryAwsTest}).
 */
@org.junit.jupiter.api.Tag("integration")
class RegionFailoverTest {
    static final String PRIMARY = "us-east-1";
    static final String FAILOVER = "us-west-2";
    static final String EAST_IDENTITY = "east-worker-" + UUID.randomUUID();

    static DockerClient docker;
    static MotoServer moto;
    static S3Client east;
    static S3Client west;
    static SiteFixture site;
    static EmbeddedStack stack;
    static RomaWorker eastWorker;
    static String primaryBucket;
    static String replicaBucket;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        stack = new EmbeddedStack(TaskQueues.forRegion(FAILOVER));
        moto = stack.closeLater(MotoServer.start());
        east = stack.closeLater(moto.s3(Region.US_EAST_1.id()));
        west = stack.closeLater(moto.s3(Region.US_WEST_2.id()));
        String run = UUID.randomUUID().toString().substring(0, 8);
        primaryBucket = "roma-east-" + run;
        replicaBucket = "roma-west-" + run;
        east.createBucket(b -> b.bucket(primaryBucket));
        west.createBucket(b -> b.bucket(replicaBucket)
                .createBucketConfiguration(c -> c.locationConstraint(FAILOVER)));
        docker = DockerTestSupport.dockerWithSandboxImage();
        site = stack.closeLater(new SiteFixture(dir, docker, "region"));
        Function<BackupStore, ObjectStore> stores = spec -> {
            try {
                return spec.isS3()
                        ? new S3ObjectStore(spec, moto.credentials(), S3ObjectStore.DEFAULT_PART_SIZE)
                        : ObjectStores.open(spec);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        stack.startWorker(site.activities(stores));
        // The primary region's worker: same server, its own queue and identity.
        WorkflowClient eastClient = WorkflowClient.newInstance(stack.client().getWorkflowServiceStubs(),
                RomaClientOptions.of(WorkflowClientOptions.newBuilder(stack.client().getOptions())
                        .setIdentity(EAST_IDENTITY).build()));
        eastWorker = new RomaWorker(eastClient, TaskQueues.forRegion(PRIMARY), site.activities(stores));
        eastWorker.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (eastWorker != null) {
            eastWorker.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    static String store(String bucket, String region) {
        return "{ uri: \"s3://" + bucket + "\", endpoint: \"" + moto.endpoint() + "\", region: " + region
                + ", pathStyle: true }";
    }

    /** The fixture's plan with its backup store replaced by {@code storeLines} (and the region sections added). */
    static void writePlan(String storeLines, String failoverSite, String regions) throws IOException {
        String yaml = site.writePlan("mkdir -p /srv/roma/tools && echo installed > /srv/roma/tools/marker",
                failoverSite);
        String replaced = yaml.replaceFirst("(?m)^  store: \\{ uri: \"file:[^\\n]*$",
                java.util.regex.Matcher.quoteReplacement(storeLines));
        assertFalse(replaced.equals(yaml), "the fixture's plan has no file store line to replace:\n" + yaml);
        Files.writeString(site.plans.resolve(site.plan + ".yaml"), replaced + regions);
    }

    @Test
    void aWorkerInTheSurvivingRegionRecoversTheSiteFromTheReplica() throws Exception {
        // Backups taken into the replica bucket in us-west-2 (the plan's store pointed at it for now).
        writePlan("  store: " + store(replicaBucket, FAILOVER), "", "");
        site.startOldSite();
        site.backUp(stack.address(), stack.taskQueue());
        List<String> replicated = west.listObjectsV2(l -> l.bucket(replicaBucket)).contents().stream()
                .map(S3Object::key).toList();
        for (String kind : List.of("state/", "artifacts/", "secrets/")) {
            assertTrue(replicated.stream().anyMatch(k -> k.startsWith(kind)), kind + " not in " + replicated);
        }

        // The plan as it is in production: primary store in us-east-1, replica in us-west-2, a failover site.
        writePlan("  store: " + store(primaryBucket, PRIMARY) + "\n  replica: { store: " + store(replicaBucket,
                FAILOVER) + " }", """
                          failover:
                            provider: docker
                            docker: { image: "%s" }
                        """.formatted(SandboxImage.DEFAULT_IMAGE), """
                        regions: { primary: %s, failover: %s }
                        """.formatted(PRIMARY, FAILOVER));

        // us-east-1 is lost: the site, and the primary region's bucket.
        site.destroy();
        east.deleteBucket(b -> b.bucket(primaryBucket));
        assertThrows(NoSuchBucketException.class, () -> east.headBucket(b -> b.bucket(primaryBucket)));

        // The CLI's default queue is the primary's; --region sends the recovery to us-west-2's workers.
        CliRun recover = CliRun.of(stack.address(), TaskQueues.DEFAULT, "recover", "site", "--plan", site.plan,
                "--region", FAILOVER, "--reason", "us-east-1 is down", "--wait");
        assertEquals(0, recover.exit(), recover.toString());
        assertTrue(recover.err().contains("on task queue roma-dr-us-west-2"), recover.err());
        String id = RecoveryStarter.workflowId(SiteRecoveryWorkflow.SCENARIO, site.plan);
        SiteRecoveryReport r = stack.client().newUntypedWorkflowStub(id).getResult(SiteRecoveryReport.class);

        assertEquals(Outcome.RECOVERED, r.outcome(), r.summary() + "\n" + r.steps());
        assertEquals(FAILOVER, r.region());
        assertEquals("s3://" + replicaBucket, r.backupStore());
        assertEquals(java.time.Duration.ofHours(4).toMillis(), r.rtoMillis());
        assertFalse(r.rtoBreached());
        assertTrue(r.stateBackup().startsWith("state/"), r.stateBackup());
        assertTrue(r.artifactsBackup().startsWith("artifacts/"), r.artifactsBackup());
        assertEquals(List.of("API_TOKEN"), r.secrets().variables());
        assertTrue(recover.out().contains("- **Region:** us-west-2"), recover.out());
        assertTrue(recover.out().contains("- **Backups from:** s3://" + replicaBucket + " (the replica store)"),
                recover.out());

        // The service answers with what only the replica's backups could have given it.
        assertEquals("200 42", site.get("/cursor"));
        assertTrue(site.get("/token").startsWith("200 tok-"), "the secret from the replica's secrets backup");
        assertEquals(1, site.servers().size());
        assertEquals(List.of(r.server().address()), site.record().values());

        // Every task of the recovery was taken by the us-west-2 worker; the us-east-1 worker took none.
        String westIdentity = stack.client().getOptions().getIdentity();
        List<HistoryEvent> events = stack.client().fetchHistory(id).getEvents();
        Set<String> takenBy = events.stream().map(RegionFailoverTest::startedBy).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        assertEquals(Set.of(westIdentity), takenBy, "identities that took tasks of " + id);
        assertTrue(events.stream().anyMatch(e -> e.hasActivityTaskStartedEventAttributes()));
        System.out.println(r.summary());
    }

    /** The identity of the worker that took a workflow or activity task, "" for other events. */
    private static String startedBy(HistoryEvent e) {
        if (e.hasWorkflowTaskStartedEventAttributes()) {
            return e.getWorkflowTaskStartedEventAttributes().getIdentity();
        }
        if (e.hasActivityTaskStartedEventAttributes()) {
            return e.getActivityTaskStartedEventAttributes().getIdentity();
        }
        return "";
    }
}
