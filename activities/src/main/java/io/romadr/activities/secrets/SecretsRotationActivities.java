package io.romadr.activities.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.romadr.activities.FailureMessages;
import io.romadr.activities.heartbeat.Heartbeat;
import io.romadr.activities.plan.CommandStepRunner;
import io.romadr.activities.process.HostCommandRunner;
import io.romadr.plan.CommandStep;
import io.romadr.plan.EnvValue;
import io.romadr.plan.SecretsBackupSpec;
import io.romadr.scenario.security.CredentialRotationActivities;
import io.romadr.scenario.security.RotationInventory;
import io.romadr.scenario.security.RotationInventoryRequest;
import io.romadr.scenario.security.RotationKind;
import io.romadr.scenario.security.RotationRequest;
import io.romadr.scenario.security.RotationResult;
import io.romadr.scenario.security.RotationTarget;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Credential rotation on the real stores: a new KV v2 version in Vault / OpenBao, a new AWSCURRENT version in AWS
 * Secrets Manager, or the plan's own rotation command. Each happens once per rotation id, however often the activity
 * runs and wherever a worker dies:
 * <ul>
 * <li>Vault: the rotation id is put in the secret's custom metadata before the data is written, and the data is
 * written with check-and-set on the version the inventory saw. A retry that finds its marker and the next version
 * current is done; its marker and the old version current writes; any other version is someone else's write.</li>
 * <li>Secrets Manager: the new version's id is derived from the rotation id and the name; a retry that finds that
 * version is done.</li>
 * <li>A command gets the rotation id in {@value #ROTATION_ID_ENV} and runs again on a retry: it must be idempotent
 * itself.</li>
 * </ul>
 * New values are made here, written and forgotten: only names and versions are returned, logged or put in a failure.
 */
public final class SecretsRotationActivities implements CredentialRotationActivities {
    private static final Logger log = LoggerFactory.getLogger(SecretsRotationActivities.class);
    /** Custom metadata of a Vault secret: the rotation that is writing (or wrote) its next version ... */
    static final String MARKER = "roma-dr-rotation";
    /** ... and the version it started from. */
    static final String MARKER_FROM = "roma-dr-rotation-from";
    static final String ROTATION_ID_ENV = "ROMA_DR_ROTATION_ID";
    /** The worker's Vault token for rotations, if it has one apart from the secrets backup's (plan: tokenEnv). */
    static final String ROTATION_TOKEN_ENV = "ROMA_DR_ROTATION_VAULT_TOKEN";
    /** Vault limits a custom metadata value to 512 bytes; a workflow id is far shorter. */
    static final int MAX_ROTATION_ID = 256;
    private static final int VALUE_BYTES = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<SecretsBackupSpec.SecretsManagerSource, SecretsManagerSecrets> secretsManagers;
    private final Function<String, String> env;
    private final CommandStepRunner commands;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param secretsManagers a Secrets Manager client for a plan's source (production: the AWS default chain)
     * @param env             the worker's environment (the Vault token)
     * @param commands        runs the plan's rotation commands
     */
    public SecretsRotationActivities(
            Function<SecretsBackupSpec.SecretsManagerSource, SecretsManagerSecrets> secretsManagers,
            Function<String, String> env, CommandStepRunner commands) {
        this.secretsManagers = secretsManagers;
        this.env = env;
        this.commands = commands;
    }

    /** Production wiring: the AWS default credential chain, the process environment, commands on this host. */
    public static SecretsRotationActivities production() {
        return new SecretsRotationActivities(s -> new SecretsManagerSecrets(s.region(), s.endpoint()),
                System::getenv, new CommandStepRunner(new HostCommandRunner()));
    }

    @Override
    public RotationInventory inventory(RotationInventoryRequest request) {
        List<RotationTarget> targets = new ArrayList<>();
        SecretsBackupSpec spec = request.secrets();
        try {
            if (spec != null && spec.vault() != null) {
                VaultKvClient vault = vault(spec.vault());
                for (String path : spec.vault().paths()) {
                    Heartbeat.ofCurrentActivity().beat(null);
                    VaultMetadata meta = vault.metadata(path)
                            .orElseThrow(() -> notFound("no secret at " + where(spec.vault(), path)));
                    targets.add(new RotationTarget(RotationKind.VAULT_KV, path,
                            Integer.toString(meta.currentVersion())));
                }
            }
            if (spec != null && spec.secretsManager() != null) {
                try (SecretsManagerSecrets sm = secretsManagers.apply(spec.secretsManager())) {
                    for (String name : spec.secretsManager().names()) {
                        Heartbeat.ofCurrentActivity().beat(null);
                        targets.add(new RotationTarget(RotationKind.SECRETS_MANAGER, name, sm.versions(name)
                                .current()));
                    }
                }
            }
        } catch (SecretsManagerSecrets.SecretNotFoundException e) {
            throw notFound(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        for (CommandStep command : request.commands()) {
            targets.add(new RotationTarget(RotationKind.COMMAND, command.name(), ""));
        }
        log.info("rotation inventory of plan {}: {}", request.plan(),
                targets.stream().map(t -> t.kind() + " " + t.name() + " " + t.versionBefore()).toList());
        return new RotationInventory(targets);
    }

    @Override
    public RotationResult rotate(RotationRequest request) {
        String id = request.rotationId();
        if (id == null || id.isBlank() || id.length() > MAX_ROTATION_ID) {
            throw ApplicationFailure.newNonRetryableFailure("the rotation id must be 1 to " + MAX_ROTATION_ID
                    + " characters", "InvalidRotationRequest");
        }
        try {
            RotationResult result = switch (request.target().kind()) {
                case VAULT_KV -> rotateVault(request);
                case SECRETS_MANAGER -> rotateSecretsManager(request);
                case COMMAND -> runCommand(request);
            };
            log.info("rotation {}: {} {} {} -> {}{} (keys {})", id, result.target().kind(), result.target().name(),
                    result.target().versionBefore(), result.versionAfter(),
                    result.alreadyRotated() ? ", done by an earlier attempt" : "", result.keys());
            return result;
        } catch (SecretsManagerSecrets.SecretNotFoundException e) {
            throw notFound(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private RotationResult rotateVault(RotationRequest request) throws IOException {
        RotationTarget target = request.target();
        SecretsBackupSpec.VaultSource source = request.secrets() == null ? null : request.secrets().vault();
        if (source == null || !source.paths().contains(target.name())) {
            throw unknownTarget("Vault path \"" + target.name() + "\" is not among the plan's secrets.vault.paths");
        }
        String path = target.name();
        String where = where(source, path);
        int before = vaultVersion(target, where);
        VaultKvClient vault = vault(source);
        VaultMetadata meta = vault.metadata(path).orElseThrow(() -> notFound("no secret at " + where));
        boolean ours = request.rotationId().equals(meta.customMetadata().get(MARKER))
                && Integer.toString(before).equals(meta.customMetadata().get(MARKER_FROM));
        if (ours && meta.currentVersion() > before) {
            return vaultDone(vault, target, before, meta.currentVersion());
        }
        if (meta.currentVersion() != before) {
            throw changedElsewhere(where, before, meta.currentVersion());
        }
        if (!ours) {
            // The marker first: a retry after a crash between here and the write knows the write is still to do.
            Map<String, String> custom = new LinkedHashMap<>(meta.customMetadata());
            custom.put(MARKER, request.rotationId());
            custom.put(MARKER_FROM, Integer.toString(before));
            vault.writeCustomMetadata(path, custom);
        }
        Map<String, String> fresh = new LinkedHashMap<>();
        for (String key : vault.readVersion(path, before).data().keySet()) {
            fresh.put(key, newValue());
        }
        OptionalInt written = vault.writeIfVersion(path, fresh, before);
        if (written.isEmpty()) {
            // Check-and-set failed: another attempt of this rotation won the race (our marker stays), or someone
            // else wrote (their write replaced nothing of ours; say so and stop).
            VaultMetadata now = vault.metadata(path).orElseThrow(() -> notFound("no secret at " + where));
            if (request.rotationId().equals(now.customMetadata().get(MARKER)) && now.currentVersion() > before) {
                return vaultDone(vault, target, before, now.currentVersion());
            }
            throw changedElsewhere(where, before, now.currentVersion());
        }
        return new RotationResult(target, Integer.toString(written.getAsInt()), false, sorted(fresh.keySet()),
                "new version " + written.getAsInt() + " of " + where);
    }

    /** An earlier attempt of this rotation wrote version {@code before + 1}: report it, write nothing. */
    private static RotationResult vaultDone(VaultKvClient vault, RotationTarget target, int before, int current)
            throws VaultException {
        int ours = before + 1;
        List<String> keys = sorted(vault.readVersion(target.name(), ours).data().keySet());
        return new RotationResult(target, Integer.toString(ours), true, keys, current == ours
                ? "version " + ours + " written by an earlier attempt of this rotation"
                : "version " + ours + " written by an earlier attempt of this rotation; version " + current
                        + " is current now");
    }

    private static int vaultVersion(RotationTarget target, String where) {
        try {
            int version = Integer.parseInt(target.versionBefore());
            if (version > 0) {
                return version;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApplicationFailure.newNonRetryableFailure("the version before the rotation of " + where + " must be a "
                + "KV v2 version number, got \"" + FailureMessages.bounded(target.versionBefore(), 64) + "\"",
                "InvalidRotationRequest");
    }

    private RotationResult rotateSecretsManager(RotationRequest request) throws IOException {
        RotationTarget target = request.target();
        SecretsBackupSpec.SecretsManagerSource source = request.secrets() == null
                ? null
                : request.secrets().secretsManager();
        if (source == null || !source.names().contains(target.name())) {
            throw unknownTarget(
                    "secret \"" + target.name() + "\" is not among the plan's secrets.secretsManager.names");
        }
        String name = target.name();
        String versionId = versionId(request.rotationId(), name);
        try (SecretsManagerSecrets sm = secretsManagers.apply(source)) {
            SecretsManagerSecrets.SecretVersions versions = sm.versions(name);
            if (versions.versionIds().contains(versionId)) {
                return secretsManagerDone(sm, target, versionId, versions.current());
            }
            if (!versions.current().equals(target.versionBefore())) {
                throw changedElsewhere("secret \"" + name + "\" in AWS Secrets Manager (" + source.region() + ")",
                        target.versionBefore(), versions.current());
            }
            NewValue fresh = newValue(sm.read(name, versions.current()));
            try {
                sm.putVersion(fresh.value(), versionId);
            } catch (IOException e) {
                // Another attempt of this rotation may have put the version first (AWS then refuses ours).
                if (sm.versions(name).versionIds().contains(versionId)) {
                    return secretsManagerDone(sm, target, versionId, sm.versions(name).current());
                }
                throw e;
            }
            return new RotationResult(target, versionId, false, fresh.keys(),
                    "new AWSCURRENT version " + versionId + " of secret \"" + name + "\"");
        }
    }

    private static RotationResult secretsManagerDone(SecretsManagerSecrets sm, RotationTarget target,
            String versionId, String current) throws IOException {
        List<String> keys = keys(sm.read(target.name(), versionId));
        return new RotationResult(target, versionId, true, keys, current.equals(versionId)
                ? "version " + versionId + " written by an earlier attempt of this rotation"
                : "version " + versionId + " written by an earlier attempt of this rotation; version " + current
                        + " is AWSCURRENT now");
    }

    /**
     * The id of the version a rotation writes: the same for every attempt of one rotation, another for every secret
     * and rotation (a name-based UUID: 36 characters, within the ClientRequestToken's 32 to 64).
     */
    static String versionId(String rotationId, String name) {
        return UUID.nameUUIDFromBytes(("roma-dr-rotation\n" + rotationId + "\n" + name)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    private RotationResult runCommand(RotationRequest request) {
        RotationTarget target = request.target();
        CommandStep step = request.commands().stream().filter(c -> c.name().equals(target.name())).findFirst()
                .orElseThrow(() -> unknownTarget("command \"" + target.name()
                        + "\" is not among the plan's rotation commands"));
        Map<String, EnvValue> environment = new LinkedHashMap<>(step.env());
        environment.put(ROTATION_ID_ENV, EnvValue.literal(request.rotationId()));
        CommandStep withId = new CommandStep(step.name(), step.command(), step.workdir(), environment,
                step.timeout());
        CommandStepRunner.Completed done;
        try {
            done = commands.run(withId, "rotation command", Heartbeat.ofCurrentActivity().with("rotating "
                    + step.name()));
        } catch (ApplicationFailure f) {
            // The runner quotes the output's tail; a rotation command may print the new credential, so it is dropped.
            String message = "rotation command \"" + step.name() + "\" " + outcome(f)
                    + "; its output is not kept (it may hold the new credential)";
            throw f.isNonRetryable()
                    ? ApplicationFailure.newNonRetryableFailure(message, f.getType())
                    : ApplicationFailure.newFailure(message, f.getType());
        }
        return new RotationResult(target, "", false, List.of(), "ran in " + done.millis() + " ms with "
                + ROTATION_ID_ENV + " set");
    }

    private static String outcome(ApplicationFailure f) {
        return switch (f.getType()) {
            case "CommandFailed" -> "exited with " + (f.getDetails().getSize() > 0
                    ? f.getDetails().get(Integer.class)
                    : "a non-zero status");
            case "CommandTimedOut" -> "timed out and was killed";
            case "CommandNotStarted" -> "could not start";
            default -> "failed (" + f.getType() + ")";
        };
    }

    /** A new value with the shape of {@code old}: every key of a JSON object, or one string or binary value. */
    private record NewValue(AwsSecretValue value, List<String> keys) {
        @Override
        public String toString() {
            return "NewValue[keys=" + keys + ", value=<redacted>]";
        }
    }

    private NewValue newValue(AwsSecretValue old) {
        if (old.isBinary()) {
            byte[] bytes = new byte[VALUE_BYTES];
            random.nextBytes(bytes);
            return new NewValue(AwsSecretValue.ofBytes(old.name(), bytes), List.of());
        }
        ObjectNode object = jsonObject(old.string());
        if (object == null) {
            return new NewValue(AwsSecretValue.ofString(old.name(), newValue()), List.of());
        }
        ObjectNode fresh = JSON.createObjectNode();
        object.fieldNames().forEachRemaining(key -> fresh.put(key, newValue()));
        return new NewValue(AwsSecretValue.ofString(old.name(), fresh.toString()), sorted(fresh.properties()
                .stream().map(Map.Entry::getKey).toList()));
    }

    private static List<String> keys(AwsSecretValue value) {
        ObjectNode object = value.isBinary() ? null : jsonObject(value.string());
        return object == null ? List.of() : sorted(object.properties().stream().map(Map.Entry::getKey).toList());
    }

    /** The string as a JSON object, or null when it is not one (then it is one plain value). */
    private static ObjectNode jsonObject(String text) {
        if (!text.strip().startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(text);
            return node instanceof ObjectNode object ? object : null;
        } catch (JsonProcessingException e) {
            return null; // its message would quote the value: not used
        }
    }

    /** 32 random bytes, base64url without padding: safe in URLs, env files and connection strings. */
    private String newValue() {
        byte[] bytes = new byte[VALUE_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static List<String> sorted(Collection<String> keys) {
        return keys.stream().sorted().toList();
    }

    /**
     * A client with the rotation's own token ({@value #ROTATION_TOKEN_ENV}, allowed to write) when the worker has one,
     * else the plan's: the backup's token can then stay read-only.
     */
    private VaultKvClient vault(SecretsBackupSpec.VaultSource source) {
        String own = env.apply(ROTATION_TOKEN_ENV);
        return VaultKvClient.of(own == null || own.isBlank()
                ? source
                : new SecretsBackupSpec.VaultSource(source.address(), source.mount(), source.paths(),
                        ROTATION_TOKEN_ENV),
                env);
    }

    private static String where(SecretsBackupSpec.VaultSource source, String path) {
        return source.mount() + "/" + path + " in Vault at " + source.address();
    }

    private static ApplicationFailure changedElsewhere(String what, Object before, Object current) {
        return ApplicationFailure.newNonRetryableFailure(what + " was changed by someone else: the inventory saw "
                + "version " + before + ", version " + current + " is current and this rotation did not write it; "
                + "no new version was written. Find who changed it, then rotate again", "RotationConflict");
    }

    private static ApplicationFailure notFound(String message) {
        return ApplicationFailure.newNonRetryableFailure(message, "SecretNotFound");
    }

    private static ApplicationFailure unknownTarget(String message) {
        return ApplicationFailure.newNonRetryableFailure(FailureMessages.bounded(message), "UnknownRotationTarget");
    }
}
