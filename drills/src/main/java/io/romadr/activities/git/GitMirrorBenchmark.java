package io.romadr.activities.git;

import io.romadr.bench.BenchmarkSupport;
import io.romadr.backup.GitFetchRequest;
import io.romadr.backup.GitPushRequest;
import io.romadr.backup.GitPushResult;
import io.romadr.backup.GitRefs;
import io.romadr.plan.GitRemote;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Git mirroring time: roma-dr ({@link JGitMirrorActivities}: fetchPrimary + pushBackup) vs the git CLI
 * ({@code git clone --mirror} + {@code git push --mirror} for a first mirror, {@code git fetch} +
 * {@code git push --mirror} afterwards), on a generated repository of N commits served by {@code git daemon}, a fresh
 * empty backup and a fresh cache / mirror clone per round, order alternating per round. Per round: the first mirror,
 * then 10 new commits on the primary and the incremental mirror, then a run with no change. Besides wall time, the
 * first mirror's client-side CPU (this JVM vs the git commands; on a shared machine less noisy than wall time).
 * Prints a markdown block. Usage: {@code GitMirrorBenchmark [COMMITS] [ROUNDS]}. Run by bench/git-mirror-benchmark.sh.
 */
public final class GitMirrorBenchmark {
    private static final long EPOCH = 1_767_225_600L; // 2026-01-01T00:00:00Z
    private static final int FILES = 100;

    private GitMirrorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int commits = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path root = Files.createTempDirectory("roma-git-bench");
        // roma first, git first, roma incr, git incr, roma none, git none; then CPU s of the first mirrors: roma, git
        List<double[]> times = new ArrayList<>();
        int next = commits;
        long packBytes;
        try (GitDaemon daemon = GitDaemon.start(Files.createDirectories(root.resolve("served")))) {
            Path primaryDir = daemon.createBare("primary");
            long t0 = System.nanoTime();
            fastImport(primaryDir, 0, commits, false);
            GitCli.run(primaryDir, "repack", "-a", "-d", "-q");
            System.err.printf(Locale.ROOT, "built %d commits in %.1f s%n", commits, (System.nanoTime() - t0) / 1e9);
            packBytes = size(primaryDir.resolve("objects"));
            GitRemote primary = remote("origin", daemon.url("primary"));
            warmUp(daemon, root);
            for (int i = 0; i < rounds; i++) {
                double[] t = new double[8];
                packedBackup(daemon, "roma-" + i);
                packedBackup(daemon, "git-" + i);
                GitRemote romaBackup = remote("backup", daemon.url("roma-" + i));
                String gitBackup = daemon.url("git-" + i);
                Path mirrorClone = root.resolve("mirror-" + i + ".git");
                JGitMirrorActivities roma = new JGitMirrorActivities(root.resolve("cache-" + i), System::getenv);
                boolean romaFirst = i % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    if ((k == 0) == romaFirst) {
                        double cpu = Cpu.own();
                        t[0] = timeRoma(roma, primary, romaBackup, true);
                        t[6] = Cpu.own() - cpu;
                    } else {
                        double cpu = Cpu.children();
                        long s = System.nanoTime();
                        GitCli.run(root, "clone", "-q", "--mirror", primary.url(), mirrorClone.toString());
                        GitCli.run(mirrorClone, "push", "-q", "--mirror", gitBackup);
                        t[1] = (System.nanoTime() - s) / 1e9;
                        t[7] = Cpu.children() - cpu;
                    }
                }
                fastImport(primaryDir, next, 10, true);
                next += 10;
                for (int k = 0; k < 2; k++) {
                    if ((k == 0) == romaFirst) {
                        t[2] = timeRoma(roma, primary, romaBackup, true);
                    } else {
                        t[3] = timeGitUpdate(mirrorClone, gitBackup);
                    }
                }
                for (int k = 0; k < 2; k++) {
                    if ((k == 0) == romaFirst) {
                        t[4] = timeRoma(roma, primary, romaBackup, false);
                    } else {
                        t[5] = timeGitUpdate(mirrorClone, gitBackup);
                    }
                }
                Map<String, String> want = GitCli.lsRemote(root, primary.url());
                if (!want.equals(GitCli.lsRemote(root, romaBackup.url())) || !want.equals(GitCli.lsRemote(root,
                        gitBackup))) {
                    throw new IllegalStateException("round " + (i + 1) + ": a backup differs from the primary");
                }
                times.add(t);
                System.err.printf(Locale.ROOT, "round %d (%s first): first %.2f / %.2f s, +10 commits %.2f / %.2f s,"
                        + " no change %.2f / %.2f s (roma / git)%n", i + 1, romaFirst ? "roma" : "git", t[0], t[1],
                        t[2], t[3], t[4], t[5]);
            }
        } finally {
            MirrorCache.deleteTree(root);
        }
        double[] med = BenchmarkSupport.columnMedians(times, 8);
        StringBuilder sb = new StringBuilder();
        sb.append("#### Git mirror: roma-dr (JGit) vs `git clone --mirror` + `git push --mirror`\n\n");
        sb.append(String.format(Locale.ROOT, "- repository: %d commits on main (each changes one of %d small files), "
                + "a lightweight tag every 1000 commits, %.1f MiB packed; primary and backups on one `git daemon` on "
                + "loopback; %s; %d CPUs; %d rounds after one untimed roma-dr warm-up mirror of 300 commits, order "
                + "alternating, fresh empty backup and fresh cache / mirror clone per round; 10 new commits before "
                + "each incremental run%n%n", commits, FILES,
                packBytes / 1048576.0, GitCli.run(root.getParent(), "--version").trim(),
                Runtime.getRuntime().availableProcessors(), rounds));
        sb.append("| round | roma-dr first s | git clone+push --mirror s | roma-dr +10 commits s | "
                + "git fetch+push --mirror s | roma-dr no change s | git no change s |\n");
        sb.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        for (int i = 0; i < times.size(); i++) {
            double[] t = times.get(i);
            sb.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %.3f | %.3f | %.3f | %.3f |%n", i + 1, t[0],
                    t[1], t[2], t[3], t[4], t[5]));
        }
        sb.append(String.format(Locale.ROOT, "| median | %.2f | %.2f | %.3f | %.3f | %.3f | %.3f |%n", med[0],
                med[1], med[2], med[3], med[4], med[5]));
        sb.append(String.format(Locale.ROOT, "%n**Time ratio roma-dr / git (medians): first mirror %.2f, incremental "
                + "%.2f, no change %.2f.**%n", med[0] / med[1], med[2] / med[3], med[4] / med[5]));
        sb.append("\nCPU of the first mirror on the client side (the git daemon's processes, which serve both sides "
                + "alike, not counted): roma-dr = this JVM (all its threads: JGit, JIT compiler, GC), git = the git "
                + "commands and their children (index-pack, pack-objects).\n\n");
        sb.append("| round | roma-dr first CPU s | git first CPU s |\n| --- | --- | --- |\n");
        for (int i = 0; i < times.size(); i++) {
            sb.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f |%n", i + 1, times.get(i)[6], times.get(i)[7]));
        }
        sb.append(String.format(Locale.ROOT, "| median | %.2f | %.2f |%n%n**CPU ratio roma-dr / git (medians), "
                + "first mirror: %.2f.**%n", med[6], med[7], med[6] / med[7]));
        System.out.print(sb);
    }

    /**
     * The worker is a long-running JVM: one untimed mirror of a small repository first, so round 1 does not pay
     * for class loading and JIT compilation.
     */
    private static void warmUp(GitDaemon daemon, Path root) throws Exception {
        Path dir = daemon.createBare("warm-up");
        fastImport(dir, 0, 300, false);
        packedBackup(daemon, "warm-up-backup");
        timeRoma(new JGitMirrorActivities(root.resolve("cache-warm-up"), System::getenv),
                remote("origin", daemon.url("warm-up")), remote("backup", daemon.url("warm-up-backup")), true);
    }

    /** A bare backup with git's default receive settings (received packs are kept, not exploded to loose). */
    private static void packedBackup(GitDaemon daemon, String name) throws Exception {
        Path dir = daemon.createBare(name);
        GitCli.run(dir, "config", "--unset", "receive.unpackLimit");
    }

    /** fetchPrimary + pushBackup; {@code expectPush} says whether the backup must have received something. */
    private static double timeRoma(JGitMirrorActivities roma, GitRemote primary, GitRemote backup,
            boolean expectPush) {
        long s = System.nanoTime();
        GitRefs refs = roma.fetchPrimary(new GitFetchRequest("bench", primary));
        GitPushResult r = roma.pushBackup(new GitPushRequest("bench", primary, backup, refs.refs(), false));
        double seconds = (System.nanoTime() - s) / 1e9;
        if (!r.ok() || r.pushed() != expectPush) {
            throw new IllegalStateException("roma-dr mirror failed or did not do what was expected: " + r);
        }
        return seconds;
    }

    private static double timeGitUpdate(Path mirrorClone, String backupUrl) throws IOException,
            InterruptedException {
        long s = System.nanoTime();
        GitCli.run(mirrorClone, "fetch", "-q", "--prune", "origin");
        GitCli.run(mirrorClone, "push", "-q", "--mirror", backupUrl);
        return (System.nanoTime() - s) / 1e9;
    }

    /**
     * Appends {@code count} commits to main with {@code git fast-import} (commit i rewrites file i % 100), starting
     * from main's tip when {@code append}; a lightweight tag every 1000th commit.
     */
    private static void fastImport(Path bareRepo, int first, int count, boolean append) throws IOException,
            InterruptedException {
        Process p = new ProcessBuilder("git", "fast-import", "--quiet").directory(bareRepo.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream out = new java.io.BufferedOutputStream(p.getOutputStream(), 1 << 16)) {
            for (int i = first; i < first + count; i++) {
                StringBuilder c = new StringBuilder();
                c.append("commit refs/heads/main\n");
                c.append("mark :").append(i + 1).append('\n');
                c.append("committer Bench <bench@test.invalid> ").append(EPOCH + i * 60L).append(" +0000\n");
                String msg = "commit " + i + "\n";
                c.append("data ").append(msg.length()).append('\n').append(msg);
                if (i == first && append) {
                    c.append("from refs/heads/main^0\n");
                }
                String content = "file " + (i % FILES) + " at commit " + i + "\n" + "line\n".repeat(20);
                c.append("M 100644 inline f").append(i % FILES).append(".txt\n");
                c.append("data ").append(content.length()).append('\n').append(content).append('\n');
                if ((i + 1) % 1000 == 0) {
                    c.append("reset refs/tags/t").append(i + 1).append("\nfrom :").append(i + 1).append("\n\n");
                }
                out.write(c.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("git fast-import failed in " + bareRepo);
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /**
     * CPU seconds (user + system) from /proc/self/stat: this JVM's own threads, or its children that have been
     * waited for (each git command and what it ran). Clock ticks are 1/100 s on Linux.
     */
    private static final class Cpu {
        static double own() throws IOException {
            String[] f = fields();
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        }

        static double children() throws IOException {
            String[] f = fields();
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
        }

        /** The fields after "pid (comm) ": f[0] is field 3 (state), so field n is f[n - 3]. */
        private static String[] fields() throws IOException {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        }
    }

    private static GitRemote remote(String name, String url) {
        return new GitRemote(name, url, null, null, null, null);
    }
}
