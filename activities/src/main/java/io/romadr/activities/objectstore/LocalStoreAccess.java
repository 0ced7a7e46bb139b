package io.romadr.activities.objectstore;

import io.romadr.backup.AccessFinding;
import io.romadr.backup.AuditSeverity;
import io.romadr.plan.BackupStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/** Who can read and delete a {@code file:} backup store: its directory's owner and POSIX permissions. */
public final class LocalStoreAccess {
    private LocalStoreAccess() {
    }

    public static List<AccessFinding> audit(String role, BackupStore store) {
        String target = role + " " + store.uri();
        Path dir = ObjectStores.localPath(store.uri());
        if (!Files.isDirectory(dir)) {
            return List.of(new AccessFinding(target, "directory", AuditSeverity.MEDIUM, dir + " does not exist",
                    "Create it owned by the worker's user with mode 700 before the first backup."));
        }
        Set<PosixFilePermission> mode;
        String owner;
        try {
            mode = Files.getPosixFilePermissions(dir);
            owner = Files.getOwner(dir).getName();
        } catch (IOException | UnsupportedOperationException e) {
            return List.of(new AccessFinding(target, "directory permissions", AuditSeverity.MEDIUM,
                    "could not be read: " + e.getMessage(), "Check them by hand: ls -ld " + dir));
        }
        String evidence = dir + " " + PosixFilePermissions.toString(mode) + " owner " + owner;
        String fix = "chmod 700 " + dir + " (owned by the worker's user): backups are for the worker and the SREs"
                + " who restore them.";
        AccessFinding permissions;
        if (mode.contains(PosixFilePermission.OTHERS_WRITE)) {
            permissions = new AccessFinding(target, "directory permissions", AuditSeverity.CRITICAL,
                    evidence + ": every local user can replace or delete backups", fix);
        } else if (mode.contains(PosixFilePermission.OTHERS_READ)) {
            permissions = new AccessFinding(target, "directory permissions", AuditSeverity.CRITICAL,
                    evidence + ": every local user can read the backups", fix);
        } else if (mode.contains(PosixFilePermission.GROUP_WRITE)) {
            permissions = new AccessFinding(target, "directory permissions", AuditSeverity.MEDIUM,
                    evidence + ": the group can replace or delete backups", fix);
        } else {
            permissions = new AccessFinding(target, "directory permissions", AuditSeverity.INFO, evidence, "");
        }
        return List.of(permissions, new AccessFinding(target, "versioning", AuditSeverity.INFO,
                "a local directory keeps no versions: a deleted backup is gone (backup.replica keeps a copy)", ""));
    }
}
