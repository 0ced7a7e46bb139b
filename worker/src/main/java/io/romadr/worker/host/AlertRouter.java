package io.romadr.worker.host;

import io.romadr.plan.RecoveryPlan;
import io.romadr.temporal.RecoveryStarter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The configured routes, checked at start-up: every route has a matcher, a known plan and a known scenario, and
 * every {@code =~} matcher compiles. An alert takes the first route whose matchers all match its labels; a missing
 * label is the empty string, as in Alertmanager.
 */
public final class AlertRouter {
    /** The scenarios a route can start. */
    public static final Set<String> SCENARIOS = RecoveryStarter.SCENARIOS.keySet();

    private final List<Route> routes;

    public record Route(int index, Map<String, Predicate<String>> matchers, String plan, String scenario) {
        boolean matches(Map<String, String> labels) {
            return matchers.entrySet().stream()
                    .allMatch(m -> m.getValue().test(labels.getOrDefault(m.getKey(), "")));
        }
    }

    public AlertRouter(List<RomaDrConfiguration.AlertRoute> configured, List<String> knownPlans) {
        List<Route> list = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            RomaDrConfiguration.AlertRoute r = configured.get(i);
            String at = "webhooks.alertmanager.routes[" + i + "]";
            if (r.matchers().isEmpty()) {
                throw new IllegalArgumentException(at + ".matchers: at least one label matcher is required");
            }
            if (!RecoveryPlan.isValidName(r.plan()) || !knownPlans.contains(r.plan())) {
                throw new IllegalArgumentException(at + ".plan: no plan \"" + r.plan() + "\" in the plans directory"
                        + " (known: " + knownPlans + ")");
            }
            if (!SCENARIOS.contains(r.scenario())) {
                throw new IllegalArgumentException(at + ".scenario: unknown scenario \"" + r.scenario()
                        + "\" (known: " + SCENARIOS + ")");
            }
            Map<String, Predicate<String>> matchers = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, String> m : r.matchers().entrySet()) {
                matchers.put(m.getKey(), matcher(at + ".matchers." + m.getKey(), m.getValue()));
            }
            list.add(new Route(i, matchers, r.plan(), r.scenario()));
        }
        this.routes = List.copyOf(list);
    }

    public Optional<Route> route(Map<String, String> labels) {
        return routes.stream().filter(r -> r.matches(labels)).findFirst();
    }

    public int size() {
        return routes.size();
    }

    private static Predicate<String> matcher(String at, String value) {
        String v = value == null ? "" : value;
        if (v.startsWith("=~")) {
            try {
                return Pattern.compile(v.substring(2)).asMatchPredicate();
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(at + ": invalid regular expression: " + e.getDescription());
            }
        }
        return v::equals;
    }
}
