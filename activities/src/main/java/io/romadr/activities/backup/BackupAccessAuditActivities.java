package io.romadr.activities.backup;

import io.romadr.activities.FailureMessages;
import io.romadr.activities.aws.AwsClients;
import io.romadr.activities.objectstore.LocalStoreAccess;
import io.romadr.activities.objectstore.S3AccessAudit;
import io.romadr.activities.secrets.VaultException;
import io.romadr.activities.secrets.VaultKvClient;
import io.romadr.activities.secrets.VaultPolicyRules;
import io.romadr.backup.AccessAuditActivities;
import io.romadr.backup.AccessFinding;
import io.romadr.backup.AuditSeverity;
import io.romadr.backup.StoreAuditRequest;
import io.romadr.backup.VaultPolicyAuditRequest;
import io.romadr.plan.SecretsBackupSpec;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The backup access audit's reads: a store's access settings ({@link S3AccessAudit}, {@link LocalStoreAccess}) and
 * the Vault ACL policies that reach the backed-up paths. Read-only, so a retry is always safe.
 */
public final class BackupAccessAuditActivities implements AccessAuditActivities {
    /** The policy of root tokens: it can do anything by design, which says nothing about the others. */
    static final String ROOT_POLICY = "root";
    private static final Duration VAULT_TIMEOUT = Duration.ofSeconds(15);

    private final UnaryOperator<String> env;

    /** @param env the worker's environment: the stores' credentials, the Vault token */
    public BackupAccessAuditActivities(UnaryOperator<String> env) {
        this.env = env;
    }

    @Override
    public List<AccessFinding> auditStore(StoreAuditRequest request) {
        if (!request.store().isS3()) {
            return LocalStoreAccess.audit(request.role(), request.store());
        }
        try (S3AccessAudit audit = S3AccessAudit.open(request.store(), env)) {
            return audit.audit(request.role(), request.store());
        } catch (SdkException e) {
            throw ApplicationFailure.newFailure("cannot read the access settings of " + request.store().uri() + ": "
                    + AwsClients.errorDetail(e), "StoreAuditFailed");
        } catch (IllegalStateException missingCredentials) {
            // A variable the store's credentials name is not set: retrying cannot help.
            throw ApplicationFailure.newNonRetryableFailure(missingCredentials.getMessage(), "StoreCredentialsMissing");
        }
    }

    @Override
    public List<AccessFinding> auditVaultPolicies(VaultPolicyAuditRequest request) {
        SecretsBackupSpec.VaultSource vault = request.vault();
        String token = env.apply(vault.tokenEnv());
        if (token == null || token.isBlank()) {
            throw ApplicationFailure.newNonRetryableFailure("environment variable " + vault.tokenEnv()
                    + " (the Vault token) is not set on this worker", "VaultTokenMissing");
        }
        List<VaultPolicyRules> policies = new ArrayList<>();
        try {
            VaultKvClient client = new VaultKvClient(URI.create(vault.address()), token, vault.mount(),
                    VAULT_TIMEOUT);
            for (String name : client.aclPolicyNames()) {
                if (!name.equals(ROOT_POLICY)) {
                    policies.add(VaultPolicyRules.parse(name, client.aclPolicy(name)));
                }
            }
        } catch (VaultException e) {
            throw ApplicationFailure.newFailure(FailureMessages.bounded(e.getMessage()), "VaultPolicyReadFailed");
        }
        List<AccessFinding> findings = new ArrayList<>();
        for (String path : vault.paths()) {
            findings.addAll(reach(vault.mount(), trim(path), policies));
        }
        return findings;
    }

    /**
     * Who can read, delete and list the KV v2 secret {@code path} under {@code mount}: read is read on
     * {@code data/}; delete is delete on {@code data/} or {@code metadata/}, or update on {@code delete/} or
     * {@code destroy/}; list is list on the {@code metadata/} folder that holds it.
     */
    static List<AccessFinding> reach(String mount, String path, List<VaultPolicyRules> policies) {
        String target = "vault " + mount + "/" + path;
        String folder = path.contains("/") ? path.substring(0, path.lastIndexOf('/') + 1) : "";
        List<String> readers = new ArrayList<>();
        List<String> deleters = new ArrayList<>();
        List<String> listers = new ArrayList<>();
        for (VaultPolicyRules policy : policies) {
            if (policy.capabilitiesOn(mount + "/data/" + path).contains("read")) {
                readers.add(policy.name());
            }
            List<String> how = new ArrayList<>();
            addIf(how, policy.capabilitiesOn(mount + "/data/" + path), "delete", "delete on data/");
            addIf(how, policy.capabilitiesOn(mount + "/metadata/" + path), "delete", "delete on metadata/");
            addIf(how, policy.capabilitiesOn(mount + "/delete/" + path), "update", "update on delete/");
            addIf(how, policy.capabilitiesOn(mount + "/destroy/" + path), "update", "update on destroy/");
            if (!how.isEmpty()) {
                deleters.add(policy.name() + " (" + String.join(", ", how) + ")");
            }
            if (policy.capabilitiesOn(mount + "/metadata/" + folder).contains("list")) {
                listers.add(policy.name());
            }
        }
        return List.of(
                new AccessFinding(target, "read", AuditSeverity.INFO, "policies that can read: " + names(readers),
                        readers.isEmpty() ? "" : "Check each still needs to: a reader sees every backed-up value."),
                deleters.isEmpty()
                        ? new AccessFinding(target, "delete", AuditSeverity.INFO, "no policy but root can delete",
                                "")
                        : new AccessFinding(target, "delete", AuditSeverity.HIGH, "policies that can delete: "
                                + String.join("; ", deleters),
                                "Take delete, and update on delete/ and destroy/, from these policies unless a"
                                        + " person must have it: a token with them can erase the secret the backup"
                                        + " restores."),
                new AccessFinding(target, "list", AuditSeverity.INFO, "policies that can list "
                        + mount + "/metadata/" + folder + ": " + names(listers), ""));
    }

    private static void addIf(List<String> how, Set<String> capabilities, String capability, String what) {
        if (capabilities.contains(capability)) {
            how.add(what);
        }
    }

    private static String names(List<String> names) {
        return names.isEmpty() ? "none (but root)" : String.join(", ", names);
    }

    private static String trim(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
