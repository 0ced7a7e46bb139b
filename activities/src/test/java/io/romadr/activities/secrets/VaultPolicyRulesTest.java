package io.romadr.activities.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The HCL rules of a policy and the most specific rule's capabilities on a path. */
class VaultPolicyRulesTest {
    private static final String POLICY = """
            # the app's own secrets
            path "secret/data/roma/*" {
              capabilities = ["read", "list"]
            }
            path "secret/data/roma/app" {
              capabilities = ["deny"]
            }
            path "secret/metadata/+/db" {
              capabilities = ["delete"]
              allowed_parameters = { "versions" = [] }
            }
            // everything else
            path "secret/*" { capabilities = ["read"] }
            """;

    private final VaultPolicyRules rules = VaultPolicyRules.parse("p", POLICY);

    @Test
    void eachPathBlockIsARule() {
        assertEquals(4, rules.rules().size());
        assertEquals(Set.of("delete"), rules.rules().get(2).capabilities());
    }

    @Test
    void theMostSpecificRuleWinsAndDenyGivesNothing() {
        assertEquals(Set.of(), rules.capabilitiesOn("secret/data/roma/app"), "the exact deny beats the glob");
        assertEquals(Set.of("read", "list"), rules.capabilitiesOn("secret/data/roma/ci"));
        assertEquals(Set.of("read"), rules.capabilitiesOn("secret/data/other/x"), "only the short glob matches");
    }

    @Test
    void plusMatchesOneSegment() {
        assertEquals(Set.of("delete"), rules.capabilitiesOn("secret/metadata/roma/db"));
        assertEquals(Set.of("read"), rules.capabilitiesOn("secret/metadata/a/b/db"), "+ is one segment only");
    }

    @Test
    void nothingMatchesOutsideThePolicy() {
        assertEquals(Set.of(), rules.capabilitiesOn("sys/policies/acl"));
    }
}
