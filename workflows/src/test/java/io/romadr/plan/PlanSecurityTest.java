package io.romadr.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan's security: section (the security-incident scenario): defaults, the seed plan's, and what is refused. */
class PlanSecurityTest {
    private final PlanLoader loader = new PlanLoader();

    static final String CONTACTS = """
            contacts:
              - id: security
                role: Security team
                channels: { email: [security@example.com] }
              - id: aws
                role: Infrastructure
            """;

    private PlanException refused(String yaml) {
        return assertThrows(PlanException.class, () -> loader.parse("demo.yaml", yaml));
    }

    @Test
    void withoutTheSectionEveryDefaultHolds() {
        SecuritySpec s = loader.parse("demo.yaml", PlanLoaderTest.MINIMAL).security();
        assertEquals("stop", s.contain());
        assertEquals(Duration.ofMinutes(15), s.containWithin());
        assertEquals(Duration.ofHours(2), s.rto());
        assertEquals(Duration.ofMinutes(30), s.approvalTimeout());
        assertEquals(16L << 20, s.evidenceLogBytes());
        assertEquals(List.of(), s.rotate());
        assertEquals(List.of(), s.contacts());
    }

    @Test
    void theSeedPlanContainsWithinFifteenMinutesAndTellsItsSecurityContacts() {
        SecuritySpec s = SeedPlan.load().security();
        assertEquals("stop", s.contain());
        assertEquals(Duration.ofMinutes(15), s.containWithin());
        assertEquals(List.of("registry-token", "git-deploy-token"), s.rotate().stream().map(CommandStep::name)
                .toList());
        assertEquals(List.of("security", "sre-oncall", "eng-lead"), s.contacts());
    }

    @Test
    void aSectionLoadsWithItsValues() {
        SecuritySpec s = loader.parse("demo.yaml", PlanLoaderTest.MINIMAL + CONTACTS + """
                security:
                  contain: disconnect
                  containWithin: 5m
                  rto: 1h
                  evidenceLogBytes: 1024
                  rotate:
                    - { name: token, command: [rotate-token] }
                  contacts: [security]
                """).security();
        assertEquals("disconnect", s.contain());
        assertEquals(Duration.ofMinutes(5), s.containWithin());
        assertEquals(1024L, s.evidenceLogBytes());
        assertEquals(List.of("rotate-token"), s.rotate().get(0).command());
    }

    @Test
    void anUnknownContainModeIsRefusedWithFileLineAndField() {
        PlanException e = refused(PlanLoaderTest.MINIMAL + """
                security:
                  contain: unplug
                """);
        assertEquals("security.contain", e.field());
        assertEquals(12, e.line(), e.getMessage());
        assertTrue(e.problem().contains("must be one of [stop, disconnect], got \"unplug\""), e.problem());
    }

    @Test
    void anRtoShorterThanTheContainmentTargetIsRefused() {
        PlanException e = refused(PlanLoaderTest.MINIMAL + """
                security:
                  containWithin: 30m
                  rto: 10m
                """);
        assertEquals("security.rto", e.field());
        assertTrue(e.problem().contains("must not be shorter than containWithin (30m)"), e.problem());
    }

    @Test
    void aSecurityContactMustBeAContactWithAChannel() {
        PlanException unknown = refused(PlanLoaderTest.MINIMAL + CONTACTS + """
                security:
                  contacts: [security, secops]
                """);
        assertEquals("security.contacts[1]", unknown.field());
        assertTrue(unknown.problem().contains("\"secops\" is not a contact of this plan; expected one of [security, "
                + "aws]"), unknown.problem());
        PlanException silent = refused(PlanLoaderTest.MINIMAL + CONTACTS + """
                security:
                  contacts: [aws]
                """);
        assertEquals("security.contacts[0]", silent.field());
        assertTrue(silent.problem().contains("has no channels"), silent.problem());
    }
}
