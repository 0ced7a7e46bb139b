package io.romadr.worker.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.aws.MotoServer;
import io.romadr.activities.compute.Ec2ComputeProvider;
import io.romadr.activities.site.ComputeSiteActivities;
import io.romadr.plan.PlanLoader;
import io.romadr.plan.RecoveryPlan;
import io.romadr.scenario.siteloss.ProvisionRequest;
import io.romadr.scenario.siteloss.SiteActivities;
import io.romadr.scenario.siteloss.SiteServer;
import io.romadr.scenario.siteloss.SiteTarget;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;

/**
 * The failover region's server on the AWS emulator: a plan's {@code site.failover.aws} (as the loader reads it, as the
 * workflow hands it on through {@code SiteSpec.inFailoverRegion}) makes the EC2 instance in us-west-2, with the
 * failover region's AMI, and nothing in the primary region. The activities and the EC2 provider are the production
 * ones, on moto; what runs on the instance is out of moto's reach (it runs no SSM command), see
 * {@link RegionFailoverTest} for the whole recovery on the docker provider.
 */
@org.junit.jupiter.api.Tag("integration")
class FailoverEc2Test {
    static MotoServer moto;
    static Ec2Client east;
    static Ec2Client west;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        east = ec2(Region.US_EAST_1);
        west = ec2(Region.US_WEST_2);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[]{east, west, moto}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing a test client
            }
        }
    }

    static Ec2Client ec2(Region region) {
        return Ec2Client.builder().httpClientBuilder(ApacheHttpClient.builder()).endpointOverride(moto.endpoint())
                .region(region).credentialsProvider(moto.credentials()).build();
    }

    @Test
    void theFailoverSitesInstanceIsMadeInTheFailoverRegion(@TempDir Path work) {
        String plan = "region-ec2-" + UUID.randomUUID().toString().substring(0, 8);
        String westAmi = west.describeImages(r -> r.owners("amazon")).images().get(0).imageId();
        RecoveryPlan loaded = new PlanLoader().parse(plan + ".yaml", """
                name: %s
                service:
                  composeProject: %s
                  containers:
                    - service: app
                      template: { image: "registry.example/app:1" }
                  healthChecks:
                    - name: http
                      http: { url: "http://127.0.0.1:8080/health" }
                rto: { service: 15m }
                regions: { primary: us-east-1, failover: us-west-2 }
                backup:
                  store: { uri: "s3://roma-east", region: us-east-1 }
                  replica: { store: { uri: "s3://roma-west", region: us-west-2 } }
                site:
                  provider: aws
                  aws: { region: us-east-1, endpoint: "%s", ami: ami-east-unused }
                  failover:
                    aws: { region: us-west-2, endpoint: "%s", ami: "%s", instanceType: t3.micro }
                """.formatted(plan, plan, moto.endpoint(), moto.endpoint(), westAmi));

        // The production activities with the production provider's wiring (RomaWorker), moto's credentials.
        ComputeSiteActivities activities = new ComputeSiteActivities(
                (provider, site) -> new Ec2ComputeProvider(site.aws().region(), site.aws().endpoint(),
                        moto.credentials(), site.aws().stagingBucket()),
                null, null, null, null, null, null, name -> null, work);
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        try {
            env.registerActivitiesImplementations(activities);
            SiteActivities site = env.newActivityStub(SiteActivities.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofMinutes(2)).build());
            SiteTarget target = new SiteTarget(plan, "aws", loaded.site().inFailoverRegion(), null);
            SiteServer made = site.provision(new ProvisionRequest(target, "wf-" + plan, "provision"));
            // Provisioning again (a retried activity) finds the same instance.
            assertEquals(made.id(), site.provision(new ProvisionRequest(target, "wf-" + plan, "provision")).id());

            List<Instance> inWest = west.describeInstances(r -> r.instanceIds(made.id())).reservations().stream()
                    .flatMap(res -> res.instances().stream()).toList();
            assertEquals(1, inWest.size(), inWest.toString());
            assertEquals(westAmi, inWest.get(0).imageId());
            assertEquals("t3.micro", inWest.get(0).instanceTypeAsString());
            assertTrue(inWest.get(0).placement().availabilityZone().startsWith("us-west-2"),
                    inWest.get(0).placement().toString());
            List<Reservation> inEast = east.describeInstances(r -> r.filters(f -> f.name("tag:Name")
                    .values(plan + "-recovery"))).reservations();
            assertTrue(inEast.isEmpty(), "an instance of the failover was made in the primary region: " + inEast);

            assertTrue(site.terminate(target.withServer(made)));
        } finally {
            env.close();
        }
    }
}
