package io.romadr.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A region outage's fields: regions, site.failover, backup.replica, rto.regionOutage, and their checks. */
class PlanRegionsTest {
    private final PlanLoader loader = new PlanLoader();

    /** MINIMAL (10 lines, rto: on line 9) with a region outage: regions, a replica and a failover site. */
    static String plan(String regions, String replica, String failover) {
        return PlanLoaderTest.MINIMAL + """
                  regionOutage: 3h
                """ + regions + """
                backup:
                  store: { uri: "s3://roma-backups", region: us-east-1 }
                """ + replica + """
                site:
                  provider: aws
                  aws: { region: us-east-1, ami: ami-east }
                """ + failover;
    }

    static final String REGIONS = """
            regions: { primary: us-east-1, failover: us-west-2 }
            """;
    static final String REPLICA = """
              replica: { store: { uri: "s3://roma-backups-west", region: us-west-2 } }
            """;
    static final String FAILOVER = """
              failover:
                aws: { region: us-west-2, ami: ami-west, instanceType: t3.xlarge, stagingBucket: roma-staging-west }
            """;

    @Test
    void aRegionOutagePlanLoadsWithItsFailoverSiteReplicaAndRto() {
        RecoveryPlan plan = loader.parse("demo.yaml", plan(REGIONS, REPLICA, FAILOVER));
        assertEquals(new RegionsSpec("us-east-1", "us-west-2"), plan.regions());
        assertEquals(Duration.ofHours(3), plan.rto().regionOutage());
        assertEquals("s3://roma-backups-west", plan.backup().replica().store().uri());
        SiteSpec.FailoverSite failover = plan.site().failover();
        assertEquals("aws", failover.provider());
        assertEquals("ami-west", failover.aws().ami());
        SiteSpec west = plan.site().inFailoverRegion();
        assertEquals("aws", west.provider());
        assertEquals("us-west-2", west.aws().region());
        assertEquals("t3.xlarge", west.aws().instanceType());
        assertEquals("roma-staging-west", west.aws().stagingBucket());
        assertEquals(plan.site().appDir(), west.appDir());
    }

    @Test
    void theRegionOutageRtoIsTheSeedsFourHoursByDefault() {
        RecoveryPlan plan = loader.parse("demo.yaml", PlanLoaderTest.MINIMAL);
        assertEquals(Duration.ofHours(4), plan.rto().regionOutage());
        assertNull(plan.regions());
    }

    @Test
    void aFailoverRegionWithoutAFailoverSiteIsRefusedWithFileLineAndField() {
        PlanException e = assertThrows(PlanException.class,
                () -> loader.parse("demo.yaml", plan(REGIONS, REPLICA, "")));
        assertEquals("site.failover", e.field());
        assertEquals("demo.yaml", e.file());
        assertEquals(16, e.line(), e.getMessage()); // the site: section (no failover line to point at)
        assertTrue(e.problem().contains("is required when regions.failover is set (us-west-2)"), e.problem());
    }

    @Test
    void aFailoverServerInAnotherRegionIsRefused() {
        String east = """
                  failover:
                    aws: { region: eu-west-1, ami: ami-west }
                """;
        PlanException e = assertThrows(PlanException.class,
                () -> loader.parse("demo.yaml", plan(REGIONS, REPLICA, east)));
        assertEquals("site.failover.aws.region", e.field());
        assertEquals(20, e.line(), e.getMessage());
        assertTrue(e.problem().contains("is \"eu-west-1\" but regions.failover is \"us-west-2\""), e.problem());
    }

    @Test
    void aRegionOutageWithoutAReplicaStoreIsRefused() {
        PlanException e = assertThrows(PlanException.class,
                () -> loader.parse("demo.yaml", plan(REGIONS, "", FAILOVER)));
        assertEquals("backup.replica", e.field());
        assertTrue(e.line() > 0, e.getMessage());
        assertTrue(e.problem().contains("a region outage restores from a copy of the backups in us-west-2"),
                e.problem());
    }

    @Test
    void aFailoverSiteWithoutRegionsIsRefused() {
        PlanException e = assertThrows(PlanException.class,
                () -> loader.parse("demo.yaml", plan("", REPLICA, FAILOVER)));
        assertEquals("site.failover", e.field());
        assertTrue(e.problem().contains("no regions: {primary, failover} section"), e.problem());
    }

    @Test
    void aFailoverSiteNeedsTheSettingsOfItsProvider() {
        String docker = """
                  failover:
                    provider: docker
                """;
        PlanException e = assertThrows(PlanException.class,
                () -> loader.parse("demo.yaml", plan(REGIONS, REPLICA, docker)));
        assertEquals("site.failover.docker", e.field());
        assertTrue(e.problem().contains("is required for the docker provider"), e.problem());
    }
}
