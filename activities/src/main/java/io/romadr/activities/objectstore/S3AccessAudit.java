package io.romadr.activities.objectstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.activities.aws.AwsClients;
import io.romadr.backup.AccessFinding;
import io.romadr.backup.AuditSeverity;
import io.romadr.plan.BackupStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DefaultRetention;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.ObjectLockConfiguration;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Who can read and delete one S3 backup store, read with the identity the worker uses for it (the store's own
 * credentials or the default chain): bucket policy, ACL, public access block, versioning, object lock. Only reads.
 * Settings are per bucket, so a store under a key prefix reports its bucket's.
 */
public final class S3AccessAudit implements AutoCloseable {
    static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    static final String AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DELETE_ACTIONS = List.of("s3:DeleteObject", "s3:DeleteObjectVersion",
            "s3:DeleteBucket");
    private static final Pattern ASSUMED_ROLE = Pattern.compile("arn:aws:sts::(\\d+):assumed-role/([^/]+)/.*");

    private final S3Client s3;
    private final StsClient sts;

    public S3AccessAudit(S3Client s3, StsClient sts) {
        this.s3 = s3;
        this.sts = sts;
    }

    /** The clients for {@code store} with its credentials, read from {@code env} (the worker's environment). */
    public static S3AccessAudit open(BackupStore store, UnaryOperator<String> env) {
        AwsCredentialsProvider credentials = AwsClients.credentials(store.credentials(), env);
        return new S3AccessAudit(S3ObjectStore.client(store, credentials),
                AwsClients.build(StsClient.builder(), store.region(), store.endpoint(), credentials));
    }

    /** The findings of the plan's {@code role} store {@code store}, INFO rows for what is in order. */
    public List<AccessFinding> audit(String role, BackupStore store) {
        String bucket = S3ObjectStore.parse(store.uri()).bucket();
        String target = role + " " + store.uri();
        List<AccessFinding> findings = new ArrayList<>();
        String identity = identity(target, findings);
        try {
            findings.addAll(policyFindings(target, s3.getBucketPolicy(r -> r.bucket(bucket)).policy(), identity));
        } catch (AwsServiceException e) {
            findings.add(AwsClients.isCode(e, "NoSuchBucketPolicy")
                    ? new AccessFinding(target, "bucket policy", AuditSeverity.INFO, "no bucket policy", "")
                    : unreadable(target, "bucket policy", e));
        }
        try {
            findings.add(aclFinding(target, s3.getBucketAcl(r -> r.bucket(bucket)).grants()));
        } catch (AwsServiceException e) {
            findings.add(unreadable(target, "ACL", e));
        }
        findings.add(publicAccessBlock(target, bucket));
        findings.add(versioning(target, bucket));
        findings.add(objectLock(target, bucket));
        return findings;
    }

    /** The ARN the worker acts as (STS GetCallerIdentity); null (and an INFO row) when the endpoint has no STS. */
    private String identity(String target, List<AccessFinding> findings) {
        try {
            String arn = sts.getCallerIdentity().arn();
            findings.add(new AccessFinding(target, "worker identity", AuditSeverity.INFO, arn, ""));
            return arn;
        } catch (SdkException e) {
            findings.add(new AccessFinding(target, "worker identity", AuditSeverity.INFO,
                    "unknown (STS GetCallerIdentity: " + AwsClients.errorDetail(e) + "); deletion by the worker's"
                            + " identity not checked",
                    ""));
            return null;
        }
    }

    /**
     * The statements of a bucket policy that allow anything to everyone (Principal "*" or AWS "*": public), and those
     * that allow deleting objects or the bucket to {@code identity} (its own ARN, or the role of an assumed-role
     * session). Deny statements and NotAction are not weighed: the audit reports what is granted.
     */
    static List<AccessFinding> policyFindings(String target, String policy, String identity) {
        JsonNode statements;
        try {
            statements = JSON.readTree(policy).path("Statement");
        } catch (IOException e) {
            return List.of(new AccessFinding(target, "bucket policy", AuditSeverity.MEDIUM,
                    "the policy is not JSON the audit can read", "Read it by hand: aws s3api get-bucket-policy"));
        }
        List<JsonNode> list = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(list::add);
        } else if (statements.isObject()) {
            list.add(statements);
        }
        List<AccessFinding> findings = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode s = list.get(i);
            if (!"Allow".equalsIgnoreCase(s.path("Effect").asText())) {
                continue;
            }
            String sid = s.hasNonNull("Sid") ? "statement " + s.get("Sid").asText() : "statement #" + (i + 1);
            List<String> principals = principals(s.path("Principal"));
            List<String> actions = strings(s.path("Action"));
            String condition = s.has("Condition") ? " (with a Condition: check it still makes it public)" : "";
            if (principals.contains("*")) {
                findings.add(new AccessFinding(target, "bucket policy", AuditSeverity.CRITICAL,
                        sid + " allows " + String.join(", ", actions) + " to Principal \"*\"" + condition,
                        "Remove the statement or name the roles that need it: backups must never be public."));
            }
            List<String> deletes = actions.stream().filter(a -> DELETE_ACTIONS.stream()
                    .anyMatch(d -> glob(a).matcher(d).matches())).toList();
            if (identity != null && !deletes.isEmpty() && principals.stream().anyMatch(p -> p.equals("*")
                    || p.equals(identity) || p.equals(roleOf(identity)))) {
                findings.add(new AccessFinding(target, "deletion by the worker", AuditSeverity.HIGH,
                        sid + " allows " + String.join(", ", deletes) + " to " + identity
                                + ", the identity the worker uses for this store",
                        "A compromised worker could erase the backups: turn on object lock with a default retention"
                                + " (deletes then only add markers) or let a separate role run retention."));
            }
        }
        if (findings.isEmpty()) {
            findings.add(new AccessFinding(target, "bucket policy", AuditSeverity.INFO,
                    list.size() + " statement(s): none public, none allowing the worker to delete", ""));
        }
        return findings;
    }

    /** Grants to every one (AllUsers) or every AWS account (AuthenticatedUsers) make the bucket public. */
    static AccessFinding aclFinding(String target, List<Grant> grants) {
        List<String> open = grants.stream().filter(g -> g.grantee() != null && g.grantee().uri() != null
                && (g.grantee().uri().equals(ALL_USERS) || g.grantee().uri().equals(AUTHENTICATED_USERS)))
                .map(g -> g.permissionAsString() + " to " + g.grantee().uri().substring(g.grantee().uri()
                        .lastIndexOf('/') + 1))
                .toList();
        return open.isEmpty()
                ? new AccessFinding(target, "ACL", AuditSeverity.INFO, grants.size() + " grant(s), none public", "")
                : new AccessFinding(target, "ACL", AuditSeverity.CRITICAL, "grants " + String.join(", ", open),
                        "Set the bucket ACL private (aws s3api put-bucket-acl --acl private) and turn on the public"
                                + " access block.");
    }

    private AccessFinding publicAccessBlock(String target, String bucket) {
        String action = "Turn all four flags on: aws s3api put-public-access-block --bucket " + bucket
                + " --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,"
                + "BlockPublicPolicy=true,RestrictPublicBuckets=true";
        PublicAccessBlockConfiguration c;
        try {
            c = s3.getPublicAccessBlock(r -> r.bucket(bucket)).publicAccessBlockConfiguration();
        } catch (AwsServiceException e) {
            return AwsClients.isCode(e, "NoSuchPublicAccessBlockConfiguration")
                    ? new AccessFinding(target, "public access block", AuditSeverity.MEDIUM, "none", action)
                    : unreadable(target, "public access block", e);
        }
        List<String> off = new ArrayList<>();
        addIfOff(off, "BlockPublicAcls", c.blockPublicAcls());
        addIfOff(off, "IgnorePublicAcls", c.ignorePublicAcls());
        addIfOff(off, "BlockPublicPolicy", c.blockPublicPolicy());
        addIfOff(off, "RestrictPublicBuckets", c.restrictPublicBuckets());
        return off.isEmpty()
                ? new AccessFinding(target, "public access block", AuditSeverity.INFO, "all four flags on", "")
                : new AccessFinding(target, "public access block", AuditSeverity.MEDIUM,
                        "off: " + String.join(", ", off), action);
    }

    private static void addIfOff(List<String> off, String name, Boolean on) {
        if (on == null || !on) {
            off.add(name);
        }
    }

    private AccessFinding versioning(String target, String bucket) {
        try {
            String status = s3.getBucketVersioning(r -> r.bucket(bucket)).statusAsString();
            return "Enabled".equals(status)
                    ? new AccessFinding(target, "versioning", AuditSeverity.INFO, "Enabled", "")
                    : new AccessFinding(target, "versioning", AuditSeverity.HIGH,
                            status == null ? "never enabled" : status,
                            "Enable it (aws s3api put-bucket-versioning --bucket " + bucket
                                    + " --versioning-configuration Status=Enabled): an overwritten or deleted"
                                    + " backup then stays recoverable.");
        } catch (AwsServiceException e) {
            return unreadable(target, "versioning", e);
        }
    }

    private AccessFinding objectLock(String target, String bucket) {
        String action = "Object lock can only be turned on for a bucket created with it: create the store's"
                + " bucket with --object-lock-enabled-for-bucket and a default retention (e.g. GOVERNANCE, longer"
                + " than the retention rules keep backups), then point the plan at it.";
        ObjectLockConfiguration c;
        try {
            c = s3.getObjectLockConfiguration(r -> r.bucket(bucket)).objectLockConfiguration();
        } catch (AwsServiceException e) {
            return AwsClients.isCode(e, "ObjectLockConfigurationNotFoundError")
                    ? new AccessFinding(target, "object lock", AuditSeverity.MEDIUM, "not enabled", action)
                    : unreadable(target, "object lock", e);
        }
        if (c == null || !"Enabled".equals(c.objectLockEnabledAsString())) {
            return new AccessFinding(target, "object lock", AuditSeverity.MEDIUM, "not enabled", action);
        }
        DefaultRetention retention = c.rule() == null ? null : c.rule().defaultRetention();
        if (retention == null) {
            return new AccessFinding(target, "object lock", AuditSeverity.MEDIUM, "enabled without a default"
                    + " retention",
                    "Set one: aws s3api put-object-lock-configuration --bucket " + bucket
                            + " --object-lock-configuration '{\"ObjectLockEnabled\":\"Enabled\",\"Rule\":"
                            + "{\"DefaultRetention\":{\"Mode\":\"GOVERNANCE\",\"Days\":30}}}'");
        }
        String period = retention.days() != null ? retention.days() + " day(s)" : retention.years() + " year(s)";
        return new AccessFinding(target, "object lock", AuditSeverity.INFO, "enabled, default retention "
                + retention.modeAsString() + " " + period, "");
    }

    private static AccessFinding unreadable(String target, String check, AwsServiceException e) {
        return new AccessFinding(target, check, AuditSeverity.MEDIUM, "could not be read: "
                + AwsClients.errorDetail(e),
                "Let the worker read it (the s3:GetBucket* permission of this check),"
                        + " then run the audit again.");
    }

    /** "*" for {@code "Principal": "*"}, else the AWS principals (other kinds, e.g. Service, are not the worker). */
    private static List<String> principals(JsonNode principal) {
        if (principal.isTextual()) {
            return List.of(principal.asText());
        }
        return strings(principal.path("AWS"));
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isTextual()) {
            values.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(v -> values.add(v.asText()));
        }
        return values;
    }

    /** An IAM action pattern ({@code s3:Delete*}, {@code *}) as a case-insensitive regex. */
    private static Pattern glob(String action) {
        StringBuilder regex = new StringBuilder();
        for (char ch : action.toCharArray()) {
            regex.append(ch == '*' ? ".*" : ch == '?' ? "." : Pattern.quote(String.valueOf(ch)));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
    }

    /** The role ARN a bucket policy names for an assumed-role session's ARN; the ARN itself otherwise. */
    static String roleOf(String identity) {
        var m = ASSUMED_ROLE.matcher(identity);
        return m.matches() ? "arn:aws:iam::" + m.group(1) + ":role/" + m.group(2) : identity;
    }

    @Override
    public void close() {
        s3.close();
        sts.close();
    }
}
