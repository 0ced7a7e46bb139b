package io.romadr.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanLoaderTest {
    private final PlanLoader loader = new PlanLoader();

    static final String MINIMAL = """
            name: demo
            service:
              composeProject: demo
              containers:
                - service: web
              healthChecks:
                - name: web-http
                  http: { url: "http://127.0.0.1:8080/health" }
            rto:
              service: 15m
            """;

    @Test
    void shippedRomaPlanCarriesTheSeedValues() {
        RecoveryPlan plan = loader.load(repoRoot().resolve("deploy/plans/roma.yaml"));
        assertEquals("roma", plan.name());
        assertEquals(Duration.ofMinutes(15), plan.rto().service());
        assertEquals(Duration.ofHours(4), plan.rto().artifacts());
        assertEquals(Duration.ofHours(24), plan.rto().executionHistory());
        assertEquals(Duration.ofDays(7), plan.rto().documentation());
        assertEquals(Duration.ofMinutes(90), plan.rto().siteLoss());
        assertEquals(Duration.ZERO, plan.rpo().sourceCode());
        assertEquals(Duration.ofHours(1), plan.rpo().executionState());
        assertEquals(Duration.ofHours(24), plan.rpo().artifacts());
        assertEquals(Duration.ofMinutes(15), plan.recovery().watchWindow());
        assertEquals("roma", plan.service().composeProject());
        assertEquals(100, plan.service().logTailLines());
        assertEquals(5, plan.service().rebuild().size());
        assertEquals(2, plan.service().smoke().size());
        BackupSpec backup = plan.backup();
        assertEquals("file:///var/backups/roma-dr", backup.store().uri());
        assertEquals("/app/.roma", backup.state().path());
        assertEquals(java.util.List.of("*.json"), backup.artifacts().include());
        assertEquals("VAULT_TOKEN", backup.secrets().vault().tokenEnv());
        assertEquals(Duration.ofDays(7), backup.retention().state().hourlyFor());
        assertEquals(Duration.ofDays(90), backup.retention().state().dailyFor());
        assertEquals(Duration.ofDays(90), backup.retention().artifacts().dailyFor());
        assertEquals(10, backup.retention().secrets().keepLast());
        assertEquals("origin", backup.git().primary().name());
        assertEquals(1, backup.git().backups().size());
        assertEquals(false, backup.git().allowForceUpdate());
        assertEquals(java.util.List.of("roma-builder"), backup.images().repositories());
        assertEquals(java.util.List.of("latest", "1.0.0"), backup.images().tags());
        assertEquals(30, backup.images().keepPerFamily());
        assertEquals(Duration.ofMinutes(15), backup.schedule().git());
        assertEquals(Duration.ofHours(24), backup.verification().gitMaxLag());
        assertEquals(Duration.ofDays(30), backup.logs().retention());
        assertEquals(java.util.List.of(), backup.logs().services());
        assertEquals(Duration.ofMinutes(1), backup.verification().rpoSlack());
        SiteSpec site = plan.site();
        assertEquals("aws", site.provider());
        assertEquals("ami-xxxxx", site.aws().ami());
        assertEquals("t3.large", site.aws().instanceType());
        assertEquals("/srv/roma/.env", site.envFile());
        assertEquals(3, site.bootstrap().size());
        assertEquals("route53", site.dns().provider());
        assertEquals("Z12345", site.dns().zone());
        assertTrue(site.approveCutover());
        assertEquals(Duration.ofMinutes(30), site.watchWindow());
        // seed: Emergency Contacts (primary, the team's channel, vendors) and the route table
        assertEquals(java.util.List.of("sre-oncall", "eng-lead", "cto", "roma-team", "aws", "github", "docker",
                "security"),
                plan.contacts().stream().map(ContactSpec::id).toList());
        ContactSpec oncall = plan.contacts().get(0);
        assertEquals("SRE On-Call", oncall.role());
        assertEquals("+1-XXX-XXX-XXXX", oncall.phone());
        assertEquals(java.util.List.of("oncall-sre@company.com"), oncall.channels().email());
        assertEquals(java.util.List.of("alertmanager", "pagerduty", "slack", "email"), oncall.channels().channelIds());
        assertEquals(java.util.List.of("cto@company.com"), plan.contacts().get(2).channels().email());
        assertEquals(java.util.List.of("XXXXXXXXXXXX", "org-name", "company-name"),
                plan.contacts().subList(4, 7).stream().map(ContactSpec::accountId).toList());
        assertEquals(java.util.List.of("AWS", "GitHub", "Docker"),
                plan.contacts().subList(4, 7).stream().map(ContactSpec::vendor).toList());
        assertEquals(4, plan.notifications().routes().size());
        assertEquals(java.util.List.of("site-loss"), plan.notifications().routes().get(2).scenarios());
    }

    @Test
    void badSiteFieldsNameTheirLine() {
        String site = MINIMAL + """
                site:
                  provider: gcp
                """;
        PlanException e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml", site));
        assertEquals("site.provider", e.field());
        assertEquals(12, e.line());
        assertTrue(e.problem().contains("expected one of [docker, aws]"), e.problem());

        String outside = MINIMAL + """
                site:
                  docker: { image: "busybox" }
                  appDir: /opt/roma
                """;
        e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml", outside));
        assertEquals("site.appDir", e.field());
        assertTrue(e.problem().contains("under /srv"), e.problem());

        String zoneFile = MINIMAL + """
                site:
                  docker: { image: "busybox" }
                  dns: { zone: example.internal, name: roma.example.internal }
                """;
        e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml", zoneFile));
        assertEquals("site.dns.zoneFile", e.field());
        assertEquals(13, e.line());
    }

    @Test
    void badGitAndImageFieldsNameTheirLine() {
        String twice = MINIMAL + """
                backup:
                  store: { uri: "file:///tmp/b" }
                  git:
                    primary: { name: origin, url: "git://127.0.0.1/roma.git" }
                    backups:
                      - { name: origin, url: "git://127.0.0.1:9419/roma.git" }
                """;
        PlanException e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml", twice));
        assertEquals("backup.git.backups", e.field());
        assertTrue(e.problem().contains("\"origin\" is used twice"), e.problem());

        String password = twice.replace("git://127.0.0.1:9419/roma.git", "https://ci:s3cret@git.example/roma.git")
                .replace("name: origin, url: \"https", "name: backup, url: \"https");
        e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml", password));
        assertEquals("backup.git.backups[0].url", e.field());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());

        String badRepo = MINIMAL + """
                backup:
                  store: { uri: "file:///tmp/b" }
                  images:
                    primary: { url: "http://127.0.0.1:5000" }
                    backup: { url: "registry.example" }
                    repositories: [roma-builder]
                """;
        e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml", badRepo));
        assertEquals("backup.images.backup.url", e.field());
        assertEquals(15, e.line());
        assertTrue(e.problem().contains("must be an http(s) URL"), e.problem());
    }

    @Test
    void badBackupFieldsNameTheirLine() {
        String withBackup = MINIMAL + """
                backup:
                  store: { uri: "ftp://backups" }
                """;
        PlanException e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml", withBackup));
        assertEquals("backup.store.uri", e.field());
        assertEquals(12, e.line());
        assertTrue(e.problem().contains("must start with file:/"), e.problem());

        String relativeState = MINIMAL + """
                backup:
                  store: { uri: "s3://bucket/roma" }
                  state: { service: demo, path: app/state }
                  retention:
                    secrets: { keepLast: -1 }
                """;
        e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml", relativeState));
        assertEquals("backup.state.path", e.field());
        assertEquals(13, e.line());

        String badRetention = relativeState.replace("app/state", "/app/state");
        e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml", badRetention));
        assertEquals("backup.retention.secrets.keepLast", e.field());
        assertEquals(15, e.line());
    }

    @Test
    void logShippingNamesServicesOfThePlanAndAReasonableRetention() {
        String logs = MINIMAL + """
                backup:
                  store: { uri: "s3://bucket/roma" }
                  logs: { services: [web], retention: 14d }
                """;
        LogBackupSpec spec = loader.parse("demo.yaml", logs).backup().logs();
        assertEquals(java.util.List.of("web"), spec.services());
        assertEquals(Duration.ofDays(14), spec.retention());
        assertEquals(LogBackupSpec.DEFAULT_BACKFILL, spec.backfill());
        assertEquals(Duration.ofHours(1), loader.parse("demo.yaml", logs).backup().schedule().logs());

        PlanException e = assertThrows(PlanException.class,
                () -> loader.parse("demo.yaml", logs.replace("[web]", "[web, db]")));
        assertEquals("backup.logs.services[1]", e.field());
        assertTrue(e.problem().contains("\"db\" is not a container of this plan"), e.problem());

        e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml", logs.replace("14d", "10m")));
        assertEquals("backup.logs.retention", e.field());
        assertTrue(e.problem().contains("must be at least 1h"), e.problem());
    }

    @Test
    void defaultsApplyToAMinimalPlan() {
        RecoveryPlan plan = loader.parse("demo.yaml", MINIMAL);
        assertEquals(200, plan.service().healthChecks().get(0).http().expectStatus());
        assertEquals(Duration.ofSeconds(5), plan.service().healthChecks().get(0).http().timeout());
        assertEquals(Duration.ofSeconds(60), plan.recovery().waitHealthy());
        assertEquals(RpoTargets.SEED, plan.rpo());
    }

    @Test
    void badDurationNamesLineAndField() {
        PlanException e = assertThrows(PlanException.class,
                () -> loader.parse("demo.yaml", MINIMAL.replace("service: 15m", "service: fifteen minutes")));
        assertEquals(10, e.line());
        assertEquals("rto.service", e.field());
        assertTrue(e.getMessage().startsWith("demo.yaml:10: rto.service: "), e.getMessage());
        assertTrue(e.getMessage().contains("expected a duration such as 30s, 15m"), e.getMessage());
    }

    @Test
    void badUrlNamesTheNestedField() {
        PlanException e = assertThrows(PlanException.class,
                () -> loader.parse("demo.yaml", MINIMAL.replace("http://127.0.0.1:8080/health", "ftp://x/y")));
        assertEquals("service.healthChecks[0].http.url", e.field());
        assertEquals(8, e.line());
        assertTrue(e.problem().contains("expected an http:// or https:// URL"), e.problem());
    }

    @Test
    void unknownFieldIsRefusedWithTheKnownOnes() {
        PlanException e = assertThrows(PlanException.class,
                () -> loader.parse("demo.yaml", MINIMAL.replace("  composeProject: demo",
                        "  composeProject: demo\n  composeProjekt: typo")));
        assertEquals(4, e.line());
        assertTrue(e.problem().contains("unknown field \"composeProjekt\""), e.problem());
        assertTrue(e.problem().contains("composeProject"), e.problem());
    }

    @Test
    void missingRequiredFieldIsNamed() {
        PlanException e = assertThrows(PlanException.class,
                () -> loader.parse("demo.yaml", MINIMAL.replace("rto:\n  service: 15m\n", "")));
        assertEquals("rto", e.field());
        assertTrue(e.problem().contains("required"), e.problem());
    }

    @Test
    void emptyHealthChecksAreRefused() {
        String text = MINIMAL.replaceAll("(?s)  healthChecks:.*?(?=rto:)", "  healthChecks: []\n");
        PlanException e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml", text));
        assertEquals("service.healthChecks", e.field());
        assertEquals(6, e.line());
    }

    @Test
    void checkMustHaveExactlyOneKind() {
        PlanException e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml",
                MINIMAL.replace("http: { url: \"http://127.0.0.1:8080/health\" }",
                        "exec: { service: web, command: [true] }\n      http: { url: \"http://a/\" }")));
        assertTrue(e.problem().contains("exactly one of http or exec"), e.problem());
        assertEquals("service.healthChecks[0].http", e.field());
    }

    @Test
    void execCheckMustNameAKnownService() {
        PlanException e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml",
                MINIMAL.replace("http: { url: \"http://127.0.0.1:8080/health\" }",
                        "exec: { service: db, command: [true] }")));
        assertTrue(e.problem().contains("not in containers"), e.problem());
    }

    @Test
    void badPortInTemplate() {
        PlanException e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml",
                MINIMAL.replace("    - service: web",
                        "    - service: web\n      template: { image: web:1, ports: [\"80\"] }")));
        assertEquals("service.containers[0].template.ports", e.field());
        assertEquals(6, e.line());
    }

    @Test
    void invalidYamlGivesALine() {
        PlanException e = assertThrows(PlanException.class,
                () -> loader.parse("demo.yaml", "name: demo\ndescription: \"unterminated\nservice: {}\n"));
        assertTrue(e.line() > 0);
        assertTrue(e.problem().startsWith("not valid YAML"), e.problem());
    }

    @Test
    void nameMustMatchTheFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("other.yaml"), MINIMAL);
        PlanException e = assertThrows(PlanException.class, () -> loader.load(dir.resolve("other.yaml")));
        assertEquals(1, e.line());
        assertTrue(e.problem().contains("must match its file name"), e.problem());
    }

    @Test
    void repositoryFindsPlansAndRefusesUnknownOnes(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("demo.yaml"), MINIMAL);
        PlanRepository repo = new PlanRepository(dir);
        assertEquals("demo", repo.load("demo").name());
        assertEquals(1, repo.loadAll().size());
        assertThrows(PlanRepository.PlanNotFoundException.class, () -> repo.load("nope"));
        assertThrows(PlanRepository.PlanNotFoundException.class, () -> repo.load("../etc/passwd"));
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofMinutes(15), Durations.parse("PT15M"));
        assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
        assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("15 minutes"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("-PT1M"));
    }

    static Path repoRoot() {
        return SeedPlan.repoRoot();
    }
}
