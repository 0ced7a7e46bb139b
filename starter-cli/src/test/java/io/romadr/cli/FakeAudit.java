package io.romadr.cli;

import io.romadr.backup.AccessAuditActivities;
import io.romadr.backup.AccessFinding;
import io.romadr.backup.AuditSeverity;
import io.romadr.backup.StoreAuditRequest;
import io.romadr.backup.VaultPolicyAuditRequest;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The access audit's reads, made up: a store in {@link #WORLD_READABLE} is readable by every local user. */
final class FakeAudit implements AccessAuditActivities {
    static final Set<String> WORLD_READABLE = ConcurrentHashMap.newKeySet();

    @Override
    public List<AccessFinding> auditStore(StoreAuditRequest request) {
        String target = request.role() + " " + request.store().uri();
        return WORLD_READABLE.contains(request.store().uri())
                ? List.of(new AccessFinding(target, "directory permissions", AuditSeverity.CRITICAL,
                        "rwxr-xr-x: every local user can read the backups", "chmod 700"))
                : List.of(new AccessFinding(target, "directory permissions", AuditSeverity.INFO, "rwx------", ""));
    }

    @Override
    public List<AccessFinding> auditVaultPolicies(VaultPolicyAuditRequest request) {
        return List.of();
    }
}
