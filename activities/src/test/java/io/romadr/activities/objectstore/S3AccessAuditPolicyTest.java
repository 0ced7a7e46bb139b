package io.romadr.activities.objectstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.backup.AccessFinding;
import io.romadr.backup.AuditSeverity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading a bucket policy: public statements and deletion by the worker's own identity. */
class S3AccessAuditPolicyTest {
    private static final String WORKER = "arn:aws:sts::111122223333:assumed-role/roma-dr-worker/i-0abc";

    @Test
    void aStatementForEveryoneIsCritical() {
        List<AccessFinding> f = S3AccessAudit.policyFindings("main s3://b", """
                {"Statement": {"Sid": "PublicRead", "Effect": "Allow", "Principal": {"AWS": "*"},
                  "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}""", WORKER);
        assertEquals(1, f.size());
        assertEquals(AuditSeverity.CRITICAL, f.get(0).severity());
        assertTrue(f.get(0).evidence().startsWith("statement PublicRead allows s3:GetObject"), f.get(0).evidence());
    }

    @Test
    void deletionByTheWorkersRoleIsHighAndOtherRolesAreNot() {
        List<AccessFinding> f = S3AccessAudit.policyFindings("main s3://b", """
                {"Statement": [
                  {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/roma-dr-worker"]},
                   "Action": ["s3:PutObject", "s3:Delete*"], "Resource": "arn:aws:s3:::b/*"},
                  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/admin"},
                   "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"},
                  {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}]}""",
                WORKER);
        assertEquals(1, f.size(), f.toString());
        assertEquals(AuditSeverity.HIGH, f.get(0).severity());
        assertEquals("deletion by the worker", f.get(0).check());
        assertTrue(f.get(0).evidence().startsWith("statement #1 allows s3:Delete*"), f.get(0).evidence());
    }

    @Test
    void aPolicyWithNeitherIsOneInfoRow() {
        List<AccessFinding> f = S3AccessAudit.policyFindings("main s3://b", """
                {"Statement": [{"Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
                  "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/logs/*"}]}""", WORKER);
        assertEquals(List.of(AuditSeverity.INFO), f.stream().map(AccessFinding::severity).toList());
    }
}
