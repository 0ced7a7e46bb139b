package io.romadr.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.backup.BackupKind;
import io.romadr.backup.CatalogRequest;
import io.romadr.backup.RestoreBackupRequest;
import io.romadr.backup.RetentionRequest;
import io.romadr.scenario.gitloss.GitRecoveryRequest;
import io.romadr.scenario.servicefailure.ServiceRecoveryRequest;
import io.romadr.scenario.siteloss.SiteRecoveryRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strict reading of workflow inputs and its messages (the real path: the worker's InputRefusalTest). */
class WorkflowInputsTest {

    private static <T> T read(String json, Class<T> type) {
        return WorkflowInputs.read(json.getBytes(StandardCharsets.UTF_8), type);
    }

    private static String refused(String json, Class<?> type) {
        InvalidWorkflowInput e = assertThrows(InvalidWorkflowInput.class, () -> read(json, type), json);
        assertTrue(e.getMessage().endsWith("; expected " + WorkflowInputs.expected(type)), e.getMessage());
        return e.getMessage();
    }

    @Test
    void theExpectedJsonComesFromTheRecord() {
        assertEquals("{\"plan\": \"<name>\", \"reason\": \"...\", \"requestedBy\": \"...\", \"detectedAt\": \"...\"}",
                WorkflowInputs.expected(ServiceRecoveryRequest.class));
        assertEquals("{\"plan\": \"<name>\", \"kinds\": [\"state|artifacts|secrets\"], \"verify\": false}",
                WorkflowInputs.expected(CatalogRequest.class));
        assertEquals("ServiceRecoveryRequest input: unknown field \"plna\"; expected {\"plan\": \"<name>\", "
                + "\"reason\": \"...\", \"requestedBy\": \"...\", \"detectedAt\": \"...\"}",
                refused("{\"plna\":\"roma\"}",
                        ServiceRecoveryRequest.class));
    }

    @Test
    void goodInputsStillRead() {
        assertEquals(new ServiceRecoveryRequest("roma", "", ""),
                read("{\"plan\":\"roma\"}", ServiceRecoveryRequest.class));
        assertEquals(new RetentionRequest("roma", false, ""), read("{\"plan\":\"roma\"}", RetentionRequest.class));
        assertEquals(BackupKind.ARTIFACTS, read("{\"plan\":\"roma\",\"kind\":\"artifacts\"}",
                RestoreBackupRequest.class).kind());
        assertEquals(List.of(BackupKind.STATE), read("{\"plan\":\"roma\",\"kinds\":[\"state\"],\"verify\":true}",
                CatalogRequest.class).kinds());
        assertEquals(true, read("{\"plan\":\"roma\",\"keepForForensics\":true}", SiteRecoveryRequest.class)
                .keepForForensics());
        // The check refuses these after reading (no input, no plan), with the workflow type in the message.
        assertNull(read("", ServiceRecoveryRequest.class));
        assertNull(read("null", ServiceRecoveryRequest.class));
        assertNull(read("{}", ServiceRecoveryRequest.class).plan());
    }

    @Test
    void eachKindOfBadInputNamesItsProblem() {
        Class<?> t = ServiceRecoveryRequest.class;
        assertTrue(refused("{\"plan\":5}", t).contains("field \"plan\" must be a string"));
        assertTrue(refused("{\"plan\":{}}", t).contains("field \"plan\" must be a string"));
        assertTrue(refused("{\"plan\":true}", t).contains("field \"plan\" must be a string"));
        assertTrue(refused("{\"plan\":[\"roma\"]}", t).contains("field \"plan\" must be a string"));
        assertTrue(refused("\"roma\"", t).contains("not a JSON object but a string"));
        assertTrue(refused("5", t).contains("not a JSON object but a number"));
        assertTrue(refused("[]", t).contains("not a JSON object but an array"));
        assertTrue(refused("true", t).contains("not a JSON object but a boolean"));
        assertTrue(refused("{\"plan\":", t).contains("not valid JSON"));
        assertTrue(refused("{\"plan\":\"roma\"} x", t).contains("not valid JSON"));
        assertTrue(refused("{\"plan\":\"roma\",\"plan\":\"other\"}", t).contains("field \"plan\" is given twice"));
        assertTrue(refused("{\"plan\":\"roma\",\"dryRun\":\"yes\"}", RetentionRequest.class)
                .contains("field \"dryRun\" must be true or false"));
        assertTrue(refused("{\"plan\":\"roma\",\"dryRun\":null}", RetentionRequest.class)
                .contains("field \"dryRun\" must be true or false"));
        assertTrue(refused("{\"plan\":\"roma\",\"kind\":\"nope\"}", RestoreBackupRequest.class)
                .contains("field \"kind\" must be one of \"state\", \"artifacts\", \"secrets\""));
        assertTrue(refused("{\"plan\":\"roma\",\"kind\":0}", RestoreBackupRequest.class)
                .contains("field \"kind\" must be one of"));
        assertTrue(refused("{\"plan\":\"roma\",\"kinds\":\"state\"}", CatalogRequest.class)
                .contains("field \"kinds\" must be a list like [\"state|artifacts|secrets\"]"));
        assertTrue(refused("{\"plan\":\"roma\",\"keepForForensics\":\"no\"}", SiteRecoveryRequest.class)
                .contains("field \"keepForForensics\" must be true or false"));
        // A null inside a list the record copies: refused as a message, never an exception that loops the task.
        assertTrue(refused("{\"plan\":\"roma\",\"kinds\":[null]}", CatalogRequest.class).contains("\"kinds\""));
        assertTrue(refused("{\"plan\":\"roma\",\"knownGood\":[null]}", GitRecoveryRequest.class)
                .contains("\"knownGood\""));
        assertTrue(refused("{\"plan\":\"roma\",\"knownGood\":[1]}", GitRecoveryRequest.class)
                .contains("field \"knownGood\" must be a list like [\"...\"]"));
    }

    @Test
    void everyRegisteredWorkflowTypeHasAPlanInputRecord() {
        assertEquals(21, RomaWorkflows.INPUTS.size(), RomaWorkflows.INPUTS::toString);
        RomaWorkflows.INPUTS.values().forEach(record -> assertTrue(
                WorkflowInputs.expected(record).startsWith("{\"plan\": \"<name>\""), record::getName));
    }
}
