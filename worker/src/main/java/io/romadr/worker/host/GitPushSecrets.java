package io.romadr.worker.host;

import io.romadr.activities.credentials.Secret;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The git push webhook's secrets, resolved once at start: a plan's own ({@code webhooks.git.plans.<plan>}) where it
 * has one, else the host's ({@code webhooks.git.secretFile|secretEnv}). A named but missing file or variable stops
 * the start, naming it, never a value.
 */
final class GitPushSecrets {
    private final Optional<Secret> fallback;
    private final Map<String, Secret> perPlan;

    GitPushSecrets(Optional<Secret> fallback, Map<String, Secret> perPlan) {
        this.fallback = fallback;
        this.perPlan = Map.copyOf(perPlan);
    }

    static GitPushSecrets resolve(RomaDrConfiguration.GitPushSettings settings, Map<String, String> env) {
        Map<String, Secret> perPlan = new LinkedHashMap<>();
        settings.plans().forEach((plan, ref) -> perPlan.put(plan, Secret.resolve("webhooks.git.plans." + plan
                + " secret", ref.secretFile(), ref.secretEnv(), env).orElseThrow(
                        () -> new IllegalStateException(
                                "webhooks.git.plans." + plan + ": name a secretFile or secretEnv"))));
        return new GitPushSecrets(Secret.resolve("webhooks.git secret", settings.secretFile(), settings.secretEnv(),
                env), perPlan);
    }

    /** The secret requests for {@code plan} must prove; empty when none is configured. */
    Optional<Secret> forPlan(String plan) {
        Secret own = perPlan.get(plan);
        return own != null ? Optional.of(own) : fallback;
    }

    /** Whether any request can be accepted at all. */
    boolean configured() {
        return fallback.isPresent() || !perPlan.isEmpty();
    }
}
