package io.romadr.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.activities.credentials.Secret;
import io.romadr.activities.notify.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Each forge's verification and reading, which forge a request is, and the replay memory: plain unit tests. */
class GitForgesTest {
    static final String KEY = "git-secret-" + java.util.UUID.randomUUID();
    static final Secret SECRET = Secret.resolve("test", null, "K", Map.of("K", KEY)).orElseThrow();
    static final byte[] BODY = "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);

    static GitForge.Headers headers(String... nameValues) {
        Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < nameValues.length; i += 2) {
            map.put(nameValues[i], nameValues[i + 1]);
        }
        return map::get;
    }

    static String hmac(String key, byte[] body) {
        return HexFormat.of().formatHex(WebhookSignature.hmacSha256(key.getBytes(StandardCharsets.UTF_8), body));
    }

    static int status(Runnable r) {
        return assertThrows(WebhookException.class, r::run).answer().code();
    }

    @Test
    void eachForgeIsToldApartByItsEventHeaderTheMostSpecificFirst() {
        assertEquals("github", GitPushWebhookResource.forgeOf(headers("X-GitHub-Event", "push")).name());
        assertEquals("gitlab", GitPushWebhookResource.forgeOf(headers("X-Gitlab-Event", "Push Hook")).name());
        // Gitea also sends GitHub's headers, Forgejo also Gitea's.
        assertEquals("gitea", GitPushWebhookResource.forgeOf(headers("X-GitHub-Event", "push", "X-Gitea-Event",
                "push")).name());
        assertEquals("forgejo", GitPushWebhookResource.forgeOf(headers("X-GitHub-Event", "push", "X-Gitea-Event",
                "push", "x-forgejo-event", "push")).name());
        assertEquals(400, status(() -> GitPushWebhookResource.forgeOf(headers("X-Other-Event", "push"))));
    }

    @Test
    void gitHubNeedsTheSha256SignatureOfTheBody() {
        GitForge github = new GitHubForge();
        github.verify(BODY, headers("X-Hub-Signature-256", "sha256=" + hmac(KEY, BODY)), SECRET);
        assertEquals(401, status(() -> github.verify(BODY, headers(), SECRET)));
        assertEquals(401, status(() -> github.verify(BODY, headers("X-Hub-Signature-256", "sha256="
                + hmac("wrong", BODY)), SECRET)));
        assertEquals(401, status(() -> github.verify(BODY, headers("X-Hub-Signature-256", "sha1=" + hmac(KEY, BODY)),
                SECRET)));
        assertEquals(401, status(() -> github.verify(BODY, headers("X-Hub-Signature-256", "sha256=zz"), SECRET)));
        byte[] other = "{\"ref\":\"refs/heads/evil\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(401, status(() -> github.verify(other, headers("X-Hub-Signature-256", "sha256="
                + hmac(KEY, BODY)), SECRET)));
        WebhookException e = assertThrows(WebhookException.class, () -> github.verify(BODY, headers(
                "X-Hub-Signature-256", "sha256=" + hmac("wrong", BODY)), SECRET));
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
        assertEquals(GitForge.Kind.PUSH, github.kind("push"));
        assertEquals(GitForge.Kind.PING, github.kind("ping"));
        assertEquals(GitForge.Kind.OTHER, github.kind("issues"));
        assertEquals("d-1", github.delivery(headers("X-GitHub-Delivery", "d-1")));
    }

    @Test
    void gitHubsPushTimeIsTheRepositorysPushedAtNeverTheCommitTime() throws Exception {
        ObjectMapper json = new ObjectMapper();
        GitForge github = new GitHubForge();
        assertEquals(1_765_000_000_000L, github.pushedAt(json.readTree("{\"repository\":{\"pushed_at\":1765000000},"
                + "\"head_commit\":{\"timestamp\":\"2020-01-01T00:00:00Z\"}}")));
        assertEquals(0, github.pushedAt(json.readTree("{\"head_commit\":{\"timestamp\":\"2020-01-01T00:00:00Z\"}}")));
        assertEquals(0, github.pushedAt(json.readTree("{\"repository\":{\"pushed_at\":\"2020-01-01T00:00:00Z\"}}")));
        assertEquals(0, new GitLabForge().pushedAt(json.readTree("{\"repository\":{\"pushed_at\":1765000000}}")));
    }

    @Test
    void gitLabSendsTheTokenItself() {
        GitForge gitlab = new GitLabForge();
        gitlab.verify(BODY, headers("X-Gitlab-Token", KEY), SECRET);
        assertEquals(401, status(() -> gitlab.verify(BODY, headers("X-Gitlab-Token", KEY + "x"), SECRET)));
        assertEquals(401, status(() -> gitlab.verify(BODY, headers(), SECRET)));
        assertEquals(GitForge.Kind.PUSH, gitlab.kind("Push Hook"));
        assertEquals(GitForge.Kind.PUSH, gitlab.kind("Tag Push Hook"));
        assertEquals(GitForge.Kind.OTHER, gitlab.kind("Merge Request Hook"));
        assertEquals("u-1", gitlab.delivery(headers("X-Gitlab-Event-UUID", "u-1", "Idempotency-Key", "k-1")));
        assertEquals("k-1", gitlab.delivery(headers("Idempotency-Key", "k-1")));
    }

    @Test
    void giteaAndForgejoSignTheBodyUnderTheirOwnHeaders() {
        GiteaForge.GITEA.verify(BODY, headers("X-Gitea-Signature", hmac(KEY, BODY)), SECRET);
        GiteaForge.FORGEJO.verify(BODY, headers("X-Forgejo-Signature", hmac(KEY, BODY)), SECRET);
        assertEquals(401, status(() -> GiteaForge.FORGEJO.verify(BODY, headers("X-Gitea-Signature",
                hmac(KEY, BODY)), SECRET)));
        assertEquals(401, status(() -> GiteaForge.GITEA.verify(BODY, headers("X-Gitea-Signature",
                hmac("wrong", BODY)), SECRET)));
        assertEquals(GitForge.Kind.PUSH, GiteaForge.GITEA.kind("push"));
        assertEquals(GitForge.Kind.OTHER, GiteaForge.FORGEJO.kind("create"));
        assertEquals("f-1", GiteaForge.FORGEJO.delivery(headers("X-Forgejo-Delivery", "f-1")));
    }

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-12-07T12:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aDeliveryOrABodySeenWithinTheWindowIsAReplayAndAReleasedOneMayComeAgain() {
        TestClock clock = new TestClock();
        GitDeliveries deliveries = new GitDeliveries(Duration.ofMinutes(10), 100, clock);
        deliveries.claim("github", "d-1", "aa");
        assertEquals(409, status(() -> deliveries.claim("github", "d-1", "bb")), "same delivery id");
        assertEquals(409, status(() -> deliveries.claim("github", "d-2", "aa")), "same body, new delivery id");
        deliveries.claim("gitlab", "d-1", "cc"); // another forge's id space
        deliveries.claim("github", null, "dd");
        assertEquals(409, status(() -> deliveries.claim("github", null, "dd")));
        deliveries.claim("github", "d-3", "ee").release();
        deliveries.claim("github", "d-3", "ee");
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        deliveries.claim("github", "d-1", "aa"); // the window is over: a redelivery mirrors again (harmless)
    }

    @Test
    void theMemoryIsBoundedAndFreesWhatLeftTheWindow() {
        TestClock clock = new TestClock();
        GitDeliveries deliveries = new GitDeliveries(Duration.ofMinutes(1), 4, clock);
        deliveries.claim("github", "d-1", "aa");
        deliveries.claim("github", "d-2", "bb");
        assertEquals(503, status(() -> deliveries.claim("github", "d-3", "cc")));
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        deliveries.claim("github", "d-3", "cc");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new GitDeliveries(Duration.ZERO, 4, clock))
                .getMessage().contains("webhooks.git.replayWindow"));
    }

    @Test
    void aPlansOwnSecretWinsOverTheHostsAndAMissingOneStopsTheStart() {
        GitPushSecrets secrets = GitPushSecrets.resolve(new RomaDrConfiguration.GitPushSettings(null, "HOST", null,
                Map.of("roma", new RomaDrConfiguration.PlanSecret(null, "ROMA"))),
                Map.of("HOST", "host-secret",
                        "ROMA", "roma-secret"));
        assertTrue(secrets.forPlan("roma").orElseThrow().matches("roma-secret"));
        assertTrue(secrets.forPlan("other").orElseThrow().matches("host-secret"));
        GitPushSecrets onlyPlans = GitPushSecrets.resolve(new RomaDrConfiguration.GitPushSettings(null, null, null,
                Map.of("roma", new RomaDrConfiguration.PlanSecret(null, "ROMA"))), Map.of("ROMA", "roma-secret"));
        assertTrue(onlyPlans.configured());
        assertTrue(onlyPlans.forPlan("other").isEmpty());
        assertFalse(GitPushSecrets.resolve(new RomaDrConfiguration.GitPushSettings(null, null), Map.of())
                .configured());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GitPushSecrets.resolve(
                new RomaDrConfiguration.GitPushSettings(null, null, null, Map.of("roma",
                        new RomaDrConfiguration.PlanSecret(null, "MISSING"))),
                Map.of()));
        assertTrue(e.getMessage().contains("MISSING"), e.getMessage());
    }
}
