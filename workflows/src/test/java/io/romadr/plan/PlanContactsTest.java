package io.romadr.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The plan's {@code contacts:} and {@code notify:}: every refusal with its {@code file:line: field:}. */
class PlanContactsTest {
    private final PlanLoader loader = new PlanLoader();

    /** Line numbers in the cases below refer to this plan (PlanLoaderTest.MINIMAL is lines 1-10). */
    static final String BASE = PlanLoaderTest.MINIMAL + """
            contacts:
              - id: sre-oncall
                role: SRE On-Call
                channels:
                  alertmanager: default
                  pagerduty: sre-oncall
                  slack: sre-incidents
                  email: [oncall-sre@company.com]
              - id: eng-lead
                role: Engineering Lead
                channels: { email: [eng-lead@company.com] }
              - id: aws
                role: Infrastructure
                vendor: AWS
                accountId: "XXXXXXXXXXXX"
              - id: github
                role: Git hosting
                vendor: GitHub
                channels: { email: [support@github.com] }
            notify:
              routes:
                - events: [recovery-started, failed]
                  to: [sre-oncall]
                - events: [rto-80]
                  to: [sre-oncall, eng-lead]
                  via: [email]
                  scenarios: [site-loss, state]
            """;

    @Test
    void theBaseLoadsWithItsContactsAndRoutes() {
        RecoveryPlan plan = loader.parse("demo.yaml", BASE);
        assertEquals(List.of("sre-oncall", "eng-lead", "aws", "github"),
                plan.contacts().stream().map(ContactSpec::id).toList());
        ContactSpec oncall = plan.contacts().get(0);
        assertEquals(List.of(new ContactChannels.Target("alertmanager", "default"),
                new ContactChannels.Target("pagerduty", "sre-oncall"),
                new ContactChannels.Target("slack", "sre-incidents"),
                new ContactChannels.Target("email", "oncall-sre@company.com")), oncall.channels().targets());
        ContactSpec aws = plan.contacts().get(2);
        assertEquals("AWS", aws.vendor());
        assertEquals("XXXXXXXXXXXX", aws.accountId());
        assertEquals(List.of(), aws.channels().targets(), "a vendor without channels and without routes is fine");
        assertEquals(2, plan.notifications().routes().size());
        NotifyRoute escalation = plan.notifications().routes().get(1);
        assertEquals(List.of("rto-80"), escalation.events());
        assertEquals(List.of("email"), escalation.via());
        assertEquals(List.of("site-loss", "state"), escalation.scenarios());
        assertEquals(List.of(), plan.notifications().routes().get(0).via());
    }

    @Test
    void aPlanWithoutContactsOrRoutesHasEmptyOnes() {
        RecoveryPlan plan = loader.parse("demo.yaml", PlanLoaderTest.MINIMAL);
        assertEquals(List.of(), plan.contacts());
        assertEquals(List.of(), plan.notifications().routes());
    }

    @Test
    void contactIdsAreUnique() {
        refused(BASE.replace("- id: eng-lead", "- id: sre-oncall"), 19, "contacts[1].id",
                "\"sre-oncall\" is already the id of contacts[0]; contact ids must be unique");
    }

    @Test
    void aRouteNamesExistingContacts() {
        refused(BASE.replace("to: [sre-oncall, eng-lead]", "to: [sre-oncall, eng-leed]"), 35,
                "notify.routes[1].to[1]",
                "\"eng-leed\" is not a contact of this plan; expected one of [sre-oncall, eng-lead, aws, github]");
    }

    @Test
    void routesWithoutContactsAreRefusedOnTheRoute() {
        String plan = PlanLoaderTest.MINIMAL + """
                notify:
                  routes:
                    - events: [failed]
                      to: [sre-oncall]
                """;
        refused(plan, 14, "notify.routes[0].to", "the plan has no contacts: section");
    }

    @Test
    void eventsAreKnownIds() {
        refused(BASE.replace("events: [rto-80]", "events: [rto-90]"), 34, "notify.routes[1].events[0]",
                "unknown event \"rto-90\"; expected one of [recovery-started, step-escalated, approval-pending, "
                        + "rto-50, rto-80, rto-breached, recovered, failed, backup-failed, backup-stale, "
                        + "verification-failed, drill-upcoming, drill-started, drill-finished, security-contained, "
                        + "credentials-rotated]");
    }

    @Test
    void viaNamesKnownChannels() {
        refused(BASE.replace("via: [email]", "via: [email, sms]"), 36, "notify.routes[1].via[1]",
                "unknown channel \"sms\"; expected one of [alertmanager, pagerduty, slack, email, webhook]");
    }

    @Test
    void everyContactOfARouteHasOneOfItsChannels() {
        refused(BASE.replace("via: [email]", "via: [pagerduty]"), 35, "notify.routes[1].to[1]",
                "contact \"eng-lead\" has only [email], none of via [pagerduty], so this route would send it nothing");
        refused(BASE.replace("to: [sre-oncall]", "to: [aws]"), 33, "notify.routes[0].to[0]",
                "contact \"aws\" has no channels, so this route would send it nothing");
    }

    @Test
    void scenariosAreScenarioIdsOrBackupKinds() {
        refused(BASE.replace("scenarios: [site-loss, state]", "scenarios: [site-loss, sites]"), 37,
                "notify.routes[1].scenarios[1]",
                "unknown scenario or backup kind \"sites\"; expected one of [service-failure, data-corruption, "
                        + "site-loss, git-loss, security-incident, state, artifacts, secrets, git, images, logs]");
    }

    @Test
    void aRouteListsEventsAndContacts() {
        refused(BASE.replace("events: [rto-80]", "events: []"), 34, "notify.routes[1].events",
                "must list at least one event");
        refused(BASE.replace("to: [sre-oncall]", "to: []"), 33, "notify.routes[0].to",
                "must list at least one contact id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"Eng Lead <eng-lead@company.com>\"", "eng-lead", "eng-lead@company@com",
            "\"eng lead@company.com\"", "\"eng-lead@company.com, cto@company.com\"", "\"@company.com\""})
    void emailAddressesLookLikeAddresses(String address) {
        refused(BASE.replace("[eng-lead@company.com]", "[" + address + "]"), 21, "contacts[1].channels.email[0]",
                "must be a plain e-mail address such as oncall-sre@company.com");
    }

    static final String NOT_HERE = "credentials and URLs belong in the worker's notifications: configuration, "
            + "not in the plan";

    @ParameterizedTest
    @ValueSource(strings = {
            // a realistic Slack webhook (its last part random: refused by the secret scan) and a dummy one
            "https://hooks.slack.com/services/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",
            "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"})
    void aSlackWebhookUrlIsRefusedWithoutBeingRepeated(String url) {
        PlanException e = refused(BASE.replace("slack: sre-incidents", "slack: \"" + url + "\""), 17,
                "contacts[0].channels.slack", NOT_HERE);
        assertFalse(e.getMessage().contains("hooks.slack") || e.getMessage().contains("T024BE7LD")
                || e.getMessage().contains("XXXXXXXX"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"e93facc04764012d7bfb002500d5d1a6", "R0123ABCDEFGHIJKLMNOPQRSTUVWXYZ4",
            "aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW", "sre-e93facc04764012d7bfb002500d5d1a6"})
    void aPagerDutyKeyPastedAsATargetIsRefusedWithoutBeingRepeated(String key) {
        PlanException e = refused(BASE.replace("pagerduty: sre-oncall", "pagerduty: " + key), 16,
                "contacts[0].channels.pagerduty", NOT_HERE);
        String tail = key.substring(key.length() - 12);
        assertFalse(e.getMessage().contains(tail), e.getMessage());
    }

    @Test
    void targetsAreNames() {
        for (String target : List.of("\"sre oncall\"", "-oncall", "\"" + "a".repeat(64) + "\"")) {
            refused(BASE.replace("alertmanager: default", "alertmanager: " + target), 15,
                    "contacts[0].channels.alertmanager", "must be the name of one of the worker's alertmanager "
                            + "targets (letters, digits, '.', '_' or '-', at most 63); " + NOT_HERE);
        }
        RecoveryPlan plan = loader.parse("demo.yaml", BASE.replace("alertmanager: default",
                "alertmanager: eu-west_1.primary"));
        assertEquals("eu-west_1.primary", plan.contacts().get(0).channels().alertmanager());
    }

    @Test
    void aUrlOrKeyPastedIntoAnIdListIsNotRepeated() {
        String key = "e93facc04764012d7bfb002500d5d1a6";
        PlanException e = refused(BASE.replace("to: [sre-oncall]", "to: [" + key + "]"), 33,
                "notify.routes[0].to[0]", "(a value that is not an id, not repeated here) is not a contact");
        assertFalse(e.getMessage().contains(key), e.getMessage());
        String url = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";
        e = refused(BASE.replace("via: [email]", "via: [\"" + url + "\"]"), 36, "notify.routes[1].via[0]",
                "unknown channel (a value that is not an id, not repeated here); expected one of [alertmanager,");
        assertFalse(e.getMessage().contains("hooks.slack"), e.getMessage());
    }

    @Test
    void contactIdsAndRolesAreChecked() {
        refused(BASE.replace("- id: eng-lead", "- id: Eng_Lead"), 19, "contacts[1].id",
                "must be lower-case letters, digits or '-'");
        refused(BASE.replace("    role: Engineering Lead\n", ""), 19, "contacts[1].role", "is required but missing");
    }

    @Test
    void theShippedPlanRoundTripsThroughWorkflowHistory() {
        // the load-plan activity returns the plan; the workflow reads it back from history with the SDK's converter
        DataConverter converter = DefaultDataConverter.newDefaultInstance();
        RecoveryPlan roma = loader.load(PlanLoaderTest.repoRoot().resolve("deploy/plans/roma.yaml"));
        Payload payload = converter.toPayload(roma).orElseThrow();
        assertEquals(roma, converter.fromPayload(payload, RecoveryPlan.class, RecoveryPlan.class));
        assertTrue(payload.getData().toStringUtf8().contains("\"notify\":{\"routes\":["),
                payload.getData().toStringUtf8());
    }

    @Test
    void aPlanRecordedBeforeContactsExistedStillReads() {
        // what an older history holds: no contacts, no notify
        DataConverter converter = DefaultDataConverter.newDefaultInstance();
        String json = converter.toPayload(loader.parse("demo.yaml", PlanLoaderTest.MINIMAL)).orElseThrow().getData()
                .toStringUtf8().replaceAll(",\"contacts\":\\[]", "").replaceAll(",\"notify\":\\{\"routes\":\\[]}", "");
        assertFalse(json.contains("contacts") || json.contains("notify"), json);
        Payload old = Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
                .setData(ByteString.copyFromUtf8(json)).build();
        RecoveryPlan plan = converter.fromPayload(old, RecoveryPlan.class, RecoveryPlan.class);
        assertEquals(List.of(), plan.contacts());
        assertEquals(NotifySpec.NONE, plan.notifications());
    }

    private PlanException refused(String text, int line, String field, String part) {
        PlanException e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml", text));
        String prefix = "demo.yaml:" + line + ": " + field + ": ";
        assertTrue(e.getMessage().startsWith(prefix), "expected " + prefix + "... got " + e.getMessage());
        assertTrue(e.problem().contains(part), "expected \"" + part + "\" in " + e.getMessage());
        return e;
    }
}
