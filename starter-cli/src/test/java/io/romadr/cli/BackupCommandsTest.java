package io.romadr.cli;

import static io.romadr.cli.RomaDrCommandTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.backup.BackupManifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** backup / backups list / restore / retention against the test server and in-memory backup activities. */
class BackupCommandsTest {

    @BeforeAll
    static void start() {
        RomaDrCommandTest.startTemporal();
    }

    @AfterAll
    static void stop() {
        RomaDrCommandTest.stopTemporal();
    }

    private static String storedKey(String out) {
        Matcher m = Pattern.compile("- \\*\\*Object:\\*\\* (\\S+)").matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    @Test
    void backupWaitPrintsTheReportAndListShowsIt() {
        RomaDrCommandTest.Run run = cli("backup", "state", "--plan", "bk1", "--wait");
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().lines().findFirst().orElseThrow().matches("backup-state-bk1-\\d{8}-\\d{6}"), run.out());
        assertTrue(run.out().contains("## Backup report: state / plan bk1"), run.out());
        assertTrue(run.out().contains("- **Outcome:** OK"), run.out());
        String key = storedKey(run.out());
        assertTrue(key.matches("state/bk1/\\d{8}T\\d{6}Z-[0-9a-f]{8}\\.tar\\.gz"), key);

        RomaDrCommandTest.Run list = cli("backups", "list", "--plan", "bk1");
        assertEquals(0, list.exit(), list::toString);
        assertTrue(list.out().contains("KIND"), list.out());
        assertTrue(Pattern.compile(
                "(?m)^state\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\s+\\d+s\\s+2\\.0 KiB\\s+3\\s+ok\\s+"
                        + Pattern.quote(key) + "$")
                .matcher(list.out()).find(), list.out());
        // The plan's kinds, each with its lag over the last week against its RPO (state's: 1 h, plus 1 m slack).
        assertTrue(list.out().contains("\nMeasured RPO (last 7d"), list.out());
        assertTrue(Pattern.compile("(?m)^state\\s+interval\\s+1\\s+\\S+\\s+\\S+\\s+\\S+\\s+1h \\(\\+1m00s\\)\\s+OK$")
                .matcher(list.out()).find(), list.out());
    }

    @Test
    void auditPrintsTheFindingsAndExitsOneWhenOneIsAboveInfo() {
        RomaDrCommandTest.Run clean = cli("backups", "audit", "--plan", "bk-audit");
        assertEquals(0, clean.exit(), clean::toString);
        assertTrue(clean.out().contains("## Backup access audit: plan bk-audit"), clean.out());
        assertTrue(clean.out().contains("| INFO | main file:///tmp/roma-dr-cli-test | directory permissions |"),
                clean.out());

        FakeAudit.WORLD_READABLE.add("file:///tmp/roma-dr-cli-test");
        try {
            RomaDrCommandTest.Run open = cli("backups", "audit", "--plan", "bk-audit");
            assertEquals(1, open.exit(), open::toString);
            assertTrue(open.out().contains("| CRITICAL | main file:///tmp/roma-dr-cli-test | directory permissions"
                    + " | rwxr-xr-x: every local user can read the backups | chmod 700 |"), open.out());
            assertTrue(open.out().contains("1 finding(s) to act on: 1 critical"), open.out());
        } finally {
            FakeAudit.WORLD_READABLE.clear();
        }
    }

    @Test
    void listExitsOneAndNamesACorruptBackup() {
        RomaDrCommandTest.Run run = cli("backup", "artifacts", "--plan", "bk2", "--wait");
        assertEquals(0, run.exit(), run::toString);
        String key = storedKey(run.out());
        FakeBackups.CORRUPT.add(key);
        RomaDrCommandTest.Run list = cli("backups", "list", "--plan", "bk2", "--kind", "artifacts");
        assertEquals(1, list.exit(), list::toString);
        assertTrue(list.out().contains("CORRUPT " + key + ": sha256 mismatch"), list.out());
        RomaDrCommandTest.Run fast = cli("backups", "list", "--plan", "bk2", "--no-verify", "--format", "json");
        assertEquals(0, fast.exit(), fast::toString);
        assertTrue(fast.out().contains("\"objectKey\" : \"" + key + "\""), fast.out());
    }

    @Test
    void restoreOfACorruptOnlyBackupFailsWithTheReport() {
        RomaDrCommandTest.Run run = cli("backup", "state", "--plan", "bk3", "--wait");
        String key = storedKey(run.out());
        FakeBackups.CORRUPT.add(key);
        RomaDrCommandTest.Run restore = cli("restore", "state", "--plan", "bk3", "--wait");
        assertEquals(1, restore.exit(), restore::toString);
        assertTrue(restore.out().contains("## Restore report: state / plan bk3"), restore.out());
        assertTrue(restore.out().contains("- **Outcome:** FAILED"), restore.out());
        assertTrue(restore.out().contains("none of the 1 state backups verifies; nothing was restored"), restore.out());
    }

    @Test
    void restoreArtifactsOnlyNamedFiles() {
        RomaDrCommandTest.Run run = cli("backup", "artifacts", "--plan", "bk4", "--wait");
        String key = storedKey(run.out());
        String file = key.substring(key.lastIndexOf('/') + 1);
        RomaDrCommandTest.Run restore = cli("restore", "artifacts", "--plan", "bk4", "--from", file, "--only",
                "a.json", "--wait");
        assertEquals(0, restore.exit(), restore::toString);
        assertTrue(restore.out().contains("- **Restored from:** " + key), restore.out());
        assertTrue(restore.out().contains("(a.json)"), restore.out());
        assertTrue(restore.out().contains("against an RPO of 1d (met)"), restore.out());
    }

    @Test
    void aPlanWithoutBackupsFailsClearly() {
        RomaDrCommandTest.Run run = cli("backup", "state", "--plan", "nobackup1", "--wait");
        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.out().contains("has no backup: section"), run.out());
    }

    @Test
    void gitAndImageBackupsStartTheirWorkflowsAndRenderTheirReports() {
        // The CLI test plans have no git or images section: the workflows run and fail with their own report.
        RomaDrCommandTest.Run git = cli("backup", "git", "--plan", "bk6", "--wait");
        assertEquals(1, git.exit(), git::toString);
        assertTrue(git.out().contains("## Git mirror report: plan bk6"), git.out());
        assertTrue(git.out().contains("has no backup.git section"), git.out());
        RomaDrCommandTest.Run images = cli("backup", "IMAGES", "--plan", "bk6", "--wait");
        assertEquals(1, images.exit(), images::toString);
        assertTrue(images.out().contains("## Image mirror report: plan bk6"), images.out());
        assertTrue(images.out().contains("has no backup.images section"), images.out());
        RomaDrCommandTest.Run logs = cli("backup", "logs", "--plan", "bk6", "--wait");
        assertEquals(1, logs.exit(), logs::toString);
        assertTrue(logs.out().contains("## Log shipping report: plan bk6"), logs.out());
        assertTrue(logs.out().contains("has no backup.logs section"), logs.out());
    }

    @Test
    void badUsageIsExitTwo() {
        RomaDrCommandTest.Run journal = cli("backup", "journal", "--plan", "x");
        assertEquals(2, journal.exit(), journal::toString);
        assertTrue(journal.err().contains("expected state, artifacts, secrets, git, images or logs"), journal.err());
        RomaDrCommandTest.Run only = cli("restore", "state", "--plan", "x", "--only", "a.json");
        assertEquals(2, only.exit(), only::toString);
        assertTrue(only.err().contains("--only applies to artifacts restores only"), only.err());
        assertEquals(2, cli("backups", "list", "--plan", "Bad Name").exit());
    }

    @Test
    void retentionDryRunListsDecisions() {
        for (int i = 0; i < 2; i++) {
            assertEquals(0, cli("backup", "state", "--plan", "bk5", "--wait").exit());
        }
        RomaDrCommandTest.Run run = cli("retention", "--plan", "bk5", "--dry-run", "--wait");
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().contains("## Retention report: plan bk5 (dry run)"), run.out());
        long keeps = run.out().lines().filter(l -> l.startsWith("| state |") && l.contains("| keep |")).count();
        assertTrue(keeps >= 1, run.out());
        assertEquals(2, FakeBackups.STORED.values().stream().filter(m -> m.plan().equals("bk5"))
                .map(BackupManifest::objectKey).count(), "dry run deleted nothing");
    }
}
