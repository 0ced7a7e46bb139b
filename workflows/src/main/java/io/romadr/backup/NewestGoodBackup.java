package io.romadr.backup;

import io.romadr.plan.BackupStore;
import io.romadr.runtime.Steps;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Workflow-side: the recoveries' rule for which backup to restore. Newest first, the first whose checksum holds
 * (re-read from the store) and that {@code accept} takes; every refusal is added to {@code rejected} for the report.
 * Each listing and check is a timeline step. Deterministic, no I/O.
 */
public final class NewestGoodBackup {
    private NewestGoodBackup() {
    }

    /** The backup chosen (null when none holds up) and how many were listed. */
    public record Choice(BackupManifest chosen, int listed) {
    }

    /** {@code accept} may run steps of its own and add its own refusals. */
    public static Choice choose(Steps steps, BackupActivities backups, BackupStore store, String plan,
            BackupKind kind, String listStep, String checkStep, Predicate<BackupManifest> accept,
            List<String> rejected) {
        List<BackupManifest> all = steps.run(listStep, () -> backups.listBackups(new ListBackupsRequest(store, plan,
                kind)), l -> l.size() + " " + kind.id() + " backup(s)");
        List<BackupManifest> newestFirst = new ArrayList<>(all);
        newestFirst.sort(Comparator.comparingLong(BackupManifest::createdAt).reversed());
        for (BackupManifest m : newestFirst) {
            VerifyResult v = steps.run(checkStep, () -> backups.verifyBackup(new BackupRef(store, m)),
                    r -> m.objectKey() + (r.ok() ? ": checksum ok" : ": " + r.problem()));
            if (!v.ok()) {
                rejected.add(m.objectKey() + ": " + v.problem());
                continue;
            }
            if (accept.test(m)) {
                return new Choice(m, newestFirst.size());
            }
        }
        return new Choice(null, newestFirst.size());
    }
}
