package io.romadr.worker.host;

import io.romadr.activities.credentials.Secret;
import io.romadr.activities.notify.NotificationSettings;
import io.romadr.activities.notify.NotificationSettings.SecretRef;
import io.romadr.plan.ContactChannels;
import io.romadr.plan.ContactSpec;
import io.romadr.plan.PlanRepository;
import io.romadr.plan.RecoveryPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up checks of the {@code notifications:} configuration against the plans: every credential it names must be
 * readable (a named but missing file or variable stops start-up, as for the webhooks), and every channel target a
 * plan's contacts name without a configuration here is logged, so a missing PagerDuty key is found at deploy time,
 * not in the incident. Deliveries to such a target fail at once and the run's report says so.
 */
final class NotificationTargets {
    private static final Logger log = LoggerFactory.getLogger(NotificationTargets.class);

    private NotificationTargets() {
    }

    /** Checks the credentials (throws naming the file or variable) and returns the unconfigured targets, logged. */
    static List<String> warnUnconfigured(PlanRepository plans, NotificationSettings settings,
            Map<String, String> environment) {
        checkCredentials(settings, environment);
        List<String> missing = new ArrayList<>();
        for (RecoveryPlan plan : plans.loadAll().values()) {
            for (ContactSpec contact : plan.contacts()) {
                for (ContactChannels.Target t : contact.channels().targets()) {
                    if (!configured(settings, t)) {
                        missing.add("plan " + plan.name() + ": contact " + contact.id() + " names " + t.channel()
                                + " target \"" + t.target() + "\", which notifications: does not configure");
                    }
                }
            }
        }
        missing.forEach(log::warn);
        return missing;
    }

    private static boolean configured(NotificationSettings s, ContactChannels.Target t) {
        return switch (t.channel()) {
            case "alertmanager" -> s.alertmanager().containsKey(t.target());
            case "pagerduty" -> s.pagerduty().routingKeys().containsKey(t.target());
            case "slack" -> s.slack().containsKey(t.target());
            case "email" -> s.email() != null && s.email().host() != null && !s.email().host().isBlank();
            case "webhook" -> s.webhooks().containsKey(t.target());
            default -> false;
        };
    }

    private static void checkCredentials(NotificationSettings s, Map<String, String> env) {
        s.alertmanager().forEach((name, am) -> {
            resolve("notifications.alertmanager." + name + ".password", am.password(), env);
            resolve("notifications.alertmanager." + name + ".bearerToken", am.bearerToken(), env);
        });
        s.pagerduty().routingKeys().forEach((name, key) -> require("notifications.pagerduty.routingKeys." + name,
                key, env));
        s.slack().forEach((name, url) -> require("notifications.slack." + name, url, env));
        if (s.email() != null) {
            resolve("notifications.email.password", s.email().password(), env);
        }
        s.webhooks().forEach((name, hook) -> {
            require("notifications.webhooks." + name + ".url", hook.url(), env);
            require("notifications.webhooks." + name + ".secret", hook.secret(), env);
        });
    }

    private static void resolve(String what, SecretRef ref, Map<String, String> env) {
        if (ref != null) {
            Secret.resolve(what, ref.file(), ref.env(), env);
        }
    }

    private static void require(String what, SecretRef ref, Map<String, String> env) {
        if (ref == null || Secret.resolve(what, ref.file(), ref.env(), env).isEmpty()) {
            throw new IllegalStateException(what + ": name a file or an environment variable");
        }
    }

}
