package io.romadr.worker.host;

import io.romadr.activities.credentials.Secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What stops the worker host from starting, and what it says; secrets never appear in what it says. */
class HostStartupTest {

    @Test
    void anInvalidPlanStopsStartUpWithFileLineAndField() throws Exception {
        Path plans = HostFakes.plansDir();
        Path broken = plans.resolve("slow.yaml");
        Files.writeString(broken, Files.readString(broken).replaceFirst("(?m)^  service: 15m", "  service: soon"));
        String message = failedStart(ConfigOverride.config("plansDir", plans.toString()));
        assertTrue(message.contains(broken + ":"), message);
        assertTrue(message.matches("(?s).*slow\\.yaml:\\d+: rto\\.service: .*"), message);
    }

    @Test
    void aRouteToAnUnknownPlanStopsStartUp() {
        String message = failedStart(ConfigOverride.config("plansDir", HostFakes.plansDir().toString()),
                ConfigOverride.config("webhooks.alertmanager.routes[1].plan", "nosuch"));
        assertTrue(message.contains("webhooks.alertmanager.routes[1].plan: no plan \"nosuch\""), message);
    }

    @Test
    void anUnreadableSecretFileStopsStartUpNamingTheFileOnly(@TempDir Path dir) {
        String message = failedStart(ConfigOverride.config("plansDir", HostFakes.plansDir().toString()),
                ConfigOverride.config("webhooks.alertmanager.auth.bearerTokenFile", dir.resolve("token").toString()));
        assertTrue(message.contains("cannot read the file " + dir.resolve("token")), message);
    }

    @Test
    void secretsAreNeverShown(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "s3cr3t-token\n");
        Secret fromFile = Secret.resolve("t", file.toString(), null, Map.of()).orElseThrow();
        assertTrue(fromFile.matches("s3cr3t-token"), "trailing newline removed, as Alertmanager does");
        assertFalse(fromFile.toString().contains("s3cr3t"), fromFile.toString());
        Secret fromEnv = Secret.resolve("t", null, "TOKEN", Map.of("TOKEN", "env-s3cr3t")).orElseThrow();
        assertEquals("Secret[environment TOKEN]", fromEnv.toString());
        var auth = new AlertmanagerAuthenticator(Optional.of(fromFile), "am", Optional.of(fromEnv));
        assertFalse(auth.toString().contains("s3cr3t"), auth.toString());
        var e = assertThrows(IllegalStateException.class,
                () -> Secret.resolve("t", null, "EMPTY", Map.of("EMPTY", " ")));
        assertTrue(e.getMessage().contains("EMPTY is not set or empty"), e.getMessage());
        assertEquals(Optional.empty(), Secret.resolve("t", null, null, Map.of()));
    }

    @Test
    void regexMatchersMatchTheWholeValueAndAMissingLabelIsEmpty() {
        AlertRouter router = new AlertRouter(List.of(
                new RomaDrConfiguration.AlertRoute(Map.of("alertname", "=~Roma(Down|Dead)", "env", ""), "roma", null),
                new RomaDrConfiguration.AlertRoute(Map.of("alertname", "=~.*"), "slow", "service-failure")),
                List.of("roma", "slow"));
        assertEquals("roma", router.route(Map.of("alertname", "RomaDead")).orElseThrow().plan());
        assertEquals("slow", router.route(Map.of("alertname", "RomaDeadish")).orElseThrow().plan());
        assertEquals("slow", router.route(Map.of("alertname", "RomaDown", "env", "prod")).orElseThrow().plan());
        var bad = assertThrows(IllegalArgumentException.class, () -> new AlertRouter(List.of(
                new RomaDrConfiguration.AlertRoute(Map.of("alertname", "=~("), "roma", null)), List.of("roma")));
        assertTrue(bad.getMessage().contains("routes[0].matchers.alertname: invalid regular expression"),
                bad.getMessage());
        var scenario = assertThrows(IllegalArgumentException.class, () -> new AlertRouter(List.of(
                new RomaDrConfiguration.AlertRoute(Map.of("a", "b"), "roma", "total-loss")), List.of("roma")));
        assertTrue(scenario.getMessage().contains("routes[0].scenario: unknown scenario"), scenario.getMessage());
    }

    @Test
    void theDeployedWorkerYmlStartsWithAnyPlansDirectory(@TempDir Path dir) throws Exception {
        // Only a plan named "other": deploy/worker.yml names no plan, its routes come from the environment.
        Files.writeString(dir.resolve("other.yaml"), Files.readString(Path.of("../deploy/plans/roma.yaml"))
                .replaceFirst("(?m)^name: roma$", "name: other"));
        DropwizardTestSupport<RomaDrConfiguration> support = new DropwizardTestSupport<>(HostFakes.App.class,
                Path.of("../deploy/worker.yml").toAbsolutePath().toString(),
                ConfigOverride.config("plansDir", dir.toString()),
                ConfigOverride.config("temporal.embedded", "true"),
                ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                ConfigOverride.config("server.adminConnectors[0].port", "0"),
                ConfigOverride.config("logging.level", "WARN"));
        try {
            support.before();
            HostClient http = new HostClient(support.getLocalPort(), support.getAdminPort());
            HostClient.Reply health = http.admin("/healthcheck");
            assertTrue(health.body().contains("1 plan(s)"), health.body());
            assertEquals(401, http.alertmanager("{}").status(), "no credentials configured: every request refused");
            assertEquals(404, http.post("/codec/decode", "{}", "Content-Type", "application/json").status(),
                    "no payload keys: no codec endpoint");
        } finally {
            support.after();
        }
    }

    @Test
    void theCodecPathAndLimitsAreChecked() {
        var defaults = new RomaDrConfiguration.CodecSettings(null, null, null, null, null, null, null, null);
        assertEquals("/codec", defaults.path());
        for (String path : List.of("codec", "/codec/", "/webhooks/codec", "/", "/co dec", "/codec/*")) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> new RomaDrConfiguration.CodecSettings(path, null, null, null, null, null, null, null));
            assertTrue(e.getMessage().startsWith("codec.path: "), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> new RomaDrConfiguration.CodecSettings(null, null, null, null, 0.0, null, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new RomaDrConfiguration.CodecSettings(null, null, null, null, null, 0, null, null));
    }

    @Test
    void aCodecJwtSectionWithoutItsIssuerStopsStartUpNamingTheField() {
        String message = failedStart(ConfigOverride.config("plansDir", HostFakes.plansDir().toString()),
                ConfigOverride.config("codec.jwt.jwksUrl", "https://idp.example.test/jwks"),
                ConfigOverride.config("codec.jwt.audience", "roma-dr-ui"));
        assertTrue(message.contains("codec.jwt.issuer: required"), message);
    }

    /** Starts the host, expects it to fail, and returns every message in the cause chain. */
    private static String failedStart(ConfigOverride... overrides) {
        DropwizardTestSupport<RomaDrConfiguration> support = new DropwizardTestSupport<>(HostFakes.App.class,
                ResourceHelpers.resourceFilePath("host-test.yml"), overrides);
        try {
            Exception e = assertThrows(Exception.class, support::before);
            StringBuilder sb = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                sb.append(t.getMessage()).append('\n');
            }
            assertFalse(sb.toString().contains(HostFakes.BEARER) || sb.toString().contains(HostFakes.HMAC_KEY));
            return sb.toString();
        } finally {
            support.after();
        }
    }
}
