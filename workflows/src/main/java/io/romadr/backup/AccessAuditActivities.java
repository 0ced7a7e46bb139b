package io.romadr.backup;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * What the backup access audit reads; nothing is changed. Each call returns its findings, INFO rows for what is in
 * order included.
 */
@ActivityInterface
public interface AccessAuditActivities {
    /**
     * An S3 store: bucket policy (public statements; deletion allowed to the identity the worker uses for the store,
     * from STS GetCallerIdentity), ACL grants to everyone, public access block, versioning, object lock. A
     * {@code file:} store: its directory's permissions.
     */
    List<AccessFinding> auditStore(StoreAuditRequest request);

    /** The Vault ACL policies ({@code sys/policies/acl}) that can read, delete or list each backed-up path. */
    List<AccessFinding> auditVaultPolicies(VaultPolicyAuditRequest request);
}
