package io.romadr.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code backup.replica:}, {@code regions:} and the {@code region:} of a git backup remote and the backup registry. */
class PlanReplicaTest {
    private final PlanLoader loader = new PlanLoader();

    private static final String WITH_REPLICA = PlanLoaderTest.MINIMAL + """
            regions: { primary: us-east-1, failover: us-west-2 }
            backup:
              store: { uri: "s3://roma-backups-east/roma", region: us-east-1 }
              replica:
                store: { uri: "s3://roma-backups-west/roma", region: us-west-2 }
              git:
                primary: { name: origin, url: "https://git.example.com/roma.git" }
                backups:
                  - { name: east, url: "https://git-east.example.com/roma.git" }
                  - { name: west, url: "https://git-west.example.com/roma.git", region: us-west-2 }
              images:
                primary: { url: "https://registry.example.com" }
                backup: { url: "https://registry-west.example.com", region: us-west-2 }
                repositories: [roma-builder]
            site:                           # a plan with regions.failover needs its failover server
              provider: aws
              aws: { region: us-east-1, ami: ami-east }
              failover:
                aws: { region: us-west-2, ami: ami-west }
            """;

    @Test
    void aReplicaInTheFailoverRegionLoads() {
        RecoveryPlan plan = loader.parse("demo.yaml", WITH_REPLICA);
        assertEquals("s3://roma-backups-west/roma", plan.backup().replica().store().uri());
        assertEquals("us-west-2", plan.backup().replica().store().region());
        assertEquals("us-west-2", plan.regions().failover());
        assertNull(plan.backup().git().backups().get(0).region());
        assertEquals("us-west-2", plan.backup().git().backups().get(1).region());
        assertEquals("us-west-2", plan.backup().images().backup().region());
    }

    @Test
    void aReplicaThatIsThePrimaryStoreIsRefusedWithItsLine() {
        String same = WITH_REPLICA.replace("s3://roma-backups-west/roma", "s3://roma-backups-east/roma/");
        PlanException e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml", same));
        assertEquals("backup.replica.store.uri", e.field());
        assertEquals(15, e.line());
        assertTrue(e.getMessage().startsWith("demo.yaml:15: backup.replica.store.uri: is the primary store"),
                e.getMessage());
    }

    @Test
    void aReplicaOutsideTheFailoverRegionIsRefusedWithItsLine() {
        String east = WITH_REPLICA.replace("roma-backups-west/roma\", region: us-west-2",
                "roma-backups-west/roma\", region: eu-west-1");
        PlanException e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml", east));
        assertEquals("backup.replica.store.region", e.field());
        assertEquals(15, e.line());
        assertTrue(e.problem().contains("is eu-west-1 but regions.failover is us-west-2"), e.problem());
    }

    @Test
    void withoutRegionsAReplicaInAnyRegionLoads() {
        String noRegions = WITH_REPLICA.replace("regions: { primary: us-east-1, failover: us-west-2 }\n", "")
                .replace("region: us-west-2 }\n  git", "region: eu-west-1 }\n  git")
                .replace("  failover:\n    aws: { region: us-west-2, ami: ami-west }\n", "");
        RecoveryPlan plan = loader.parse("demo.yaml", noRegions);
        assertEquals("eu-west-1", plan.backup().replica().store().region());
        assertNull(plan.regions());
    }

    @Test
    void aGitOrRegistryRegionOutsideThePlansRegionsIsRefusedWithItsLine() {
        String git = WITH_REPLICA.replace("roma.git\", region: us-west-2", "roma.git\", region: ap-south-1");
        PlanException e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml", git));
        assertEquals("backup.git.backups[1].region", e.field());
        assertEquals(20, e.line());
        assertTrue(e.problem().contains("neither regions.primary (us-east-1) nor regions.failover (us-west-2)"),
                e.problem());

        String registry = WITH_REPLICA.replace("registry-west.example.com\", region: us-west-2",
                "registry-west.example.com\", region: ap-south-1");
        e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml", registry));
        assertEquals("backup.images.backup.region", e.field());
        assertEquals(23, e.line());
    }
}
