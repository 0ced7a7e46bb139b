package io.romadr.notify;

import io.romadr.plan.SeedPlan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.romadr.plan.PlanLoader;
import io.romadr.plan.RecoveryPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotifyRoutesTest {
    private static final String PLAN = """
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
            contacts:
              - id: oncall
                role: SRE On-Call
                name: Rotation
                channels:
                  alertmanager: default
                  pagerduty: sre-oncall
                  slack: sre-incidents
                  email: [oncall@company.com]
              - id: lead
                role: Engineering Lead
                channels: { alertmanager: default, slack: sre-incidents, email: [lead@company.com] }
              - id: cto
                role: CTO
                channels: { email: [cto@company.com] }
            notify:
              routes:
                - events: [recovery-started, rto-breached, failed]
                  to: [oncall]
                - events: [rto-breached, failed]
                  to: [lead, oncall]
                - events: [failed]
                  to: [cto]
                  scenarios: [site-loss]
                - events: [rto-50]
                  to: [oncall, lead]
                  via: [slack, email]
            """;

    private final RecoveryPlan plan = new PlanLoader().parse("demo.yaml", PLAN);

    @Test
    void aContactHearsThroughEveryChannelItHasInChannelOrder() {
        assertEquals(List.of("oncall via alertmanager:default", "oncall via pagerduty:sre-oncall",
                "oncall via slack:sre-incidents", "oncall via email:oncall@company.com"),
                describe(NotifyEvent.RECOVERY_STARTED, "service-failure"));
        Recipient first = NotifyRoutes.recipients(plan, NotifyEvent.RECOVERY_STARTED, "service-failure").get(0);
        assertEquals(new Recipient("oncall", "SRE On-Call", "Rotation", ChannelType.ALERTMANAGER, "default"), first);
    }

    @Test
    void anEventNoRouteListsReachesNobody() {
        assertEquals(List.of(), describe(NotifyEvent.BACKUP_STALE, "state"));
        assertEquals(List.of(), describe(NotifyEvent.RECOVERED, "service-failure"));
    }

    @Test
    void viaKeepsOnlyItsChannels() {
        // oncall and lead share the Slack webhook: it gets one message, naming the first contact
        assertEquals(List.of("oncall via slack:sre-incidents", "oncall via email:oncall@company.com",
                "lead via email:lead@company.com"), describe(NotifyEvent.RTO_50, "service-failure"));
    }

    @Test
    void aContactReachedByTwoRoutesHearsOnceInRouteOrder() {
        assertEquals(List.of("oncall via alertmanager:default", "oncall via pagerduty:sre-oncall",
                "oncall via slack:sre-incidents", "oncall via email:oncall@company.com",
                // Alertmanager alerts carry the contact as a label: one per contact, even on the same target
                "lead via alertmanager:default", "lead via email:lead@company.com"),
                describe(NotifyEvent.RTO_BREACHED, "service-failure"));
    }

    @Test
    void aScenarioFilterMatchesOnlyItsScenarios() {
        List<String> siteLoss = describe(NotifyEvent.FAILED, "site-loss");
        assertEquals("cto via email:cto@company.com", siteLoss.get(siteLoss.size() - 1));
        assertEquals(7, siteLoss.size(), siteLoss::toString);
        for (String other : List.of("service-failure", "git-loss", "state", "")) {
            List<String> got = describe(NotifyEvent.FAILED, other);
            assertEquals(6, got.size(), other + ": " + got);
            assertEquals(List.of(), got.stream().filter(r -> r.startsWith("cto")).toList(), other);
        }
    }

    @Test
    void theShippedPlanEscalates() {
        RecoveryPlan roma = new PlanLoader().load(repoRoot().resolve("deploy/plans/roma.yaml"));
        assertEquals(List.of("sre-oncall"), contacts(roma, NotifyEvent.RECOVERY_STARTED, "service-failure"));
        assertEquals(List.of("eng-lead"), contacts(roma, NotifyEvent.RTO_80, "service-failure"));
        assertEquals(List.of("sre-oncall", "eng-lead"), contacts(roma, NotifyEvent.RTO_BREACHED, "service-failure"));
        assertEquals(List.of("sre-oncall", "eng-lead", "cto"), contacts(roma, NotifyEvent.RTO_BREACHED, "site-loss"));
        assertEquals(List.of("sre-oncall", "eng-lead", "cto"), contacts(roma, NotifyEvent.FAILED, "site-loss"));
        assertEquals(List.of("sre-oncall"), contacts(roma, NotifyEvent.BACKUP_STALE, "state"));
        assertEquals(List.of("roma-team via slack:roma-team"),
                NotifyRoutes.recipients(roma, NotifyEvent.DRILL_UPCOMING, "service-failure").stream()
                        .map(Recipient::describe).toList());
        assertEquals(List.of("sre-oncall via alertmanager:default", "sre-oncall via pagerduty:sre-oncall",
                "sre-oncall via slack:sre-incidents", "sre-oncall via email:oncall-sre@company.com"),
                NotifyRoutes.recipients(roma, NotifyEvent.APPROVAL_PENDING, "site-loss").stream()
                        .map(Recipient::describe).toList().subList(0, 4));
        for (String vendor : List.of("aws", "github", "docker")) {
            for (NotifyEvent event : NotifyEvent.values()) {
                assertEquals(List.of(), NotifyRoutes.recipients(roma, event, "site-loss").stream()
                        .filter(r -> r.contact().equals(vendor)).toList(), vendor + " is never written to");
            }
        }
    }

    private List<String> describe(NotifyEvent event, String scenario) {
        return NotifyRoutes.recipients(plan, event, scenario).stream().map(Recipient::describe).toList();
    }

    private static List<String> contacts(RecoveryPlan plan, NotifyEvent event, String scenario) {
        return NotifyRoutes.recipients(plan, event, scenario).stream().map(Recipient::contact).distinct().toList();
    }

    static Path repoRoot() {
        return SeedPlan.repoRoot();
    }
}
