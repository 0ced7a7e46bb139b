package io.romadr.activities.drill;

import io.romadr.activities.FailureMessages;
import io.romadr.activities.backup.ArtifactFiles;
import io.romadr.activities.backup.ArtifactFiles.Artifact;
import io.romadr.activities.backup.BackupRefusedException;
import io.romadr.activities.digest.Sha256;
import io.romadr.activities.heartbeat.Heartbeat;
import io.romadr.plan.ArtifactBackupSpec;
import io.romadr.plan.RecoveryPlan;
import io.romadr.scenario.drill.DrillVerification;
import io.romadr.scenario.drill.FaultRequest;
import io.romadr.scenario.drill.FaultResult;
import io.romadr.scenario.drill.VerifyRecoveredRequest;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 2's drill: corrupts the plan's artifacts in their container ({@code truncate}: the first three by name;
 * {@code widespread}: all but one) and checks the recovery independently: every artifact valid again (JSON and the
 * plan's schema), and the data loss measured against the digests taken before the fault. The broken content is
 * fixed per fault, so a retry recognises what an earlier attempt broke and never breaks more.
 */
public final class ArtifactFaults implements ScenarioFaults {
    static final String FINGERPRINT = "artifact:";
    static final String NO_ARTIFACTS = "DrillNoArtifacts";
    /** An object cut off mid-string, as a truncated write leaves it. */
    static final byte[] TRUNCATED = "{\"corrupted-by\": \"roma-dr drill (truncate)".getBytes(StandardCharsets.UTF_8);
    static final byte[] GARBAGE = "roma-dr drill: widespread corruption\n".getBytes(StandardCharsets.UTF_8);
    private static final int TRUNCATED_FILES = 3;
    private static final int NAMES_SHOWN = 10;

    private final ArtifactFiles files;

    public ArtifactFaults(ArtifactFiles files) {
        this.files = files;
    }

    @Override
    public String scenario() {
        return "data-corruption";
    }

    @Override
    public void document(RecoveryPlan plan, List<String> lines, Map<String, String> fingerprints) {
        ArtifactBackupSpec spec = spec(plan);
        if (spec == null) {
            lines.add("artifacts: the plan has no backup.artifacts section");
            return;
        }
        List<Artifact> all = read(plan, spec);
        long bytes = all.stream().mapToLong(Artifact::size).sum();
        List<String> invalid = all.stream().filter(a -> !a.valid()).map(a -> a.path() + " (" + a.problem() + ")")
                .toList();
        lines.add(where(spec) + ": " + all.size() + " file(s), " + bytes + " bytes, "
                + (invalid.isEmpty() ? "all valid" : invalid.size() + " invalid: " + names(invalid)));
        for (Artifact a : all) {
            fingerprints.put(FINGERPRINT + a.path(), a.sha256());
        }
    }

    @Override
    public FaultResult inject(FaultRequest request, int attempt) {
        byte[] broken = switch (request.fault()) {
            case "truncate" -> TRUNCATED;
            case "widespread" -> GARBAGE;
            default -> throw ApplicationFailure.newNonRetryableFailure("unknown fault \"" + request.fault()
                    + "\" (truncate or widespread)", IllegalArgumentException.class.getName());
        };
        RecoveryPlan plan = request.plan();
        ArtifactBackupSpec spec = spec(plan);
        if (spec == null) {
            throw ApplicationFailure.newNonRetryableFailure("plan " + plan.name() + " has no backup.artifacts"
                    + " section: no artifacts to corrupt", NO_ARTIFACTS);
        }
        List<Artifact> all = read(plan, spec);
        if (all.isEmpty()) {
            throw ApplicationFailure.newNonRetryableFailure("no artifacts to corrupt in " + where(spec),
                    NO_ARTIFACTS);
        }
        // The same files on every attempt: the names do not change when the content does.
        int count = request.fault().equals("truncate")
                ? Math.min(TRUNCATED_FILES, all.size())
                : all.size() <= 2 ? all.size() : all.size() - 1;
        String brokenSha = Sha256.hex(broken);
        Map<String, byte[]> replace = new LinkedHashMap<>();
        List<String> already = new ArrayList<>();
        for (Artifact a : all.subList(0, count)) {
            if (a.sha256().equals(brokenSha)) {
                already.add(a.path());
            } else {
                replace.put(a.path(), broken);
            }
        }
        if (!replace.isEmpty()) {
            try {
                files.replace(plan.service().composeProject(), spec, replace);
            } catch (IOException | RuntimeException e) {
                throw failure("corrupting the artifacts in " + where(spec), e);
            }
        }
        String verb = request.fault().equals("truncate") ? "truncated " : "overwrote with garbage ";
        List<String> said = new ArrayList<>();
        if (!replace.isEmpty()) {
            said.add(verb + replace.size() + " of " + all.size() + " artifacts in " + where(spec) + ": "
                    + names(List.copyOf(replace.keySet())));
        }
        if (!already.isEmpty()) {
            said.add(already.size() + " of " + all.size() + " artifacts already corrupted by an earlier attempt: "
                    + names(already));
        }
        return new FaultResult(!replace.isEmpty(), false, String.join("; ", said), attempt);
    }

    @Override
    public DrillVerification verify(VerifyRecoveredRequest request) {
        RecoveryPlan plan = request.plan();
        ArtifactBackupSpec spec = spec(plan);
        if (spec == null) {
            String line = "artifacts: the plan has no backup.artifacts section";
            return new DrillVerification(false, List.of(line), List.of(line), "");
        }
        List<Artifact> now;
        try {
            now = files.read(plan.service().composeProject(), spec, Heartbeat.ofCurrentActivity());
        } catch (BackupRefusedException e) {
            // no container or no path after the recovery: not recovered (a retry would not change that now)
            String line = where(spec) + " unreadable: " + FailureMessages.bounded(e.getMessage());
            return new DrillVerification(false, List.of(line), List.of(line), "");
        } catch (IOException | RuntimeException e) {
            throw failure("reading the artifacts in " + where(spec), e);
        }
        List<String> checks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long valid = now.stream().filter(Artifact::valid).count();
        checks.add(where(spec) + ": " + valid + " of " + now.size() + " artifacts valid");
        for (Artifact a : now) {
            if (!a.valid()) {
                String line = "artifact " + a.path() + " invalid: " + a.problem();
                checks.add(line);
                problems.add(line);
            }
        }
        Map<String, String> before = new LinkedHashMap<>();
        request.before().fingerprints().entrySet().stream().filter(e -> e.getKey().startsWith(FINGERPRINT))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> before.put(e.getKey().substring(FINGERPRINT.length()), e.getValue()));
        if (before.isEmpty()) {
            checks.add("no artifact digests from before the fault: data loss not measured");
            return new DrillVerification(problems.isEmpty(), checks, problems, "");
        }
        Map<String, String> after = new LinkedHashMap<>();
        now.forEach(a -> after.put(a.path(), a.sha256()));
        List<String> missing = new ArrayList<>();
        List<String> differ = new ArrayList<>();
        before.forEach((path, sha) -> {
            String current = after.get(path);
            if (current == null) {
                missing.add(path);
            } else if (!current.equals(sha)) {
                differ.add(path);
            }
        });
        for (String path : missing) {
            String line = "artifact " + path + " missing (it was there before the fault)";
            checks.add(line);
            problems.add(line);
        }
        List<String> added = after.keySet().stream().filter(p -> !before.containsKey(p)).toList();
        if (!added.isEmpty()) {
            checks.add(added.size() + " artifact(s) new since the fault: " + names(added));
        }
        int same = before.size() - missing.size() - differ.size();
        checks.add(same + " of " + before.size() + " artifacts identical to before the fault");
        List<String> loss = new ArrayList<>();
        if (!differ.isEmpty()) {
            loss.add(differ.size() + " of " + before.size() + " artifacts differ from before the fault (restored"
                    + " from an older backup or regenerated): " + names(differ));
        }
        if (!missing.isEmpty()) {
            loss.add(missing.size() + " of " + before.size() + " artifacts missing: " + names(missing));
        }
        return new DrillVerification(problems.isEmpty(), checks, problems,
                loss.isEmpty() ? "None" : String.join("; ", loss));
    }

    private List<Artifact> read(RecoveryPlan plan, ArtifactBackupSpec spec) {
        try {
            return files.read(plan.service().composeProject(), spec, Heartbeat.ofCurrentActivity());
        } catch (IOException | RuntimeException e) {
            throw failure("reading the artifacts in " + where(spec), e);
        }
    }

    /** A refusal cannot be cured by retrying; an I/O or engine error can. */
    private static RuntimeException failure(String what, Exception e) {
        if (e instanceof ApplicationFailure f) {
            return f;
        }
        String message = FailureMessages.bounded(what + " failed: " + e.getMessage());
        if (e instanceof BackupRefusedException refused) {
            return ApplicationFailure.newNonRetryableFailure(message, refused.type());
        }
        return ApplicationFailure.newFailure(message, e instanceof IOException
                ? "DrillIOError"
                : e.getClass().getSimpleName());
    }

    private static ArtifactBackupSpec spec(RecoveryPlan plan) {
        return plan.backup() == null ? null : plan.backup().artifacts();
    }

    /** "artifacts app:/data/out [*.json]" */
    private static String where(ArtifactBackupSpec spec) {
        return "artifacts " + spec.service() + ":" + spec.path() + " " + spec.include();
    }

    private static String names(List<String> names) {
        return String.join(", ", names.subList(0, Math.min(NAMES_SHOWN, names.size())))
                + (names.size() > NAMES_SHOWN ? " and " + (names.size() - NAMES_SHOWN) + " more" : "");
    }
}
