package io.romadr.bench;

import static io.romadr.bench.BenchmarkSupport.median;
import static io.romadr.bench.BenchmarkSupport.rank;
import static io.romadr.bench.BenchmarkSupport.sorted;

import io.romadr.activities.LocalServerProcess;
import io.romadr.activities.git.GitCli;
import io.romadr.activities.git.GitDaemon;
import io.romadr.worker.host.GitPushHook;
import io.romadr.worker.host.RomaDrApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * docs/benchmarks.md section 12, "git push -> mirrored": the worker host ({@link RomaDrApplication}, embedded
 * Temporal, production JGit activities) in this JVM, a plan whose git primary and backup are bare repositories behind
 * two real {@code git daemon}s, the primary's post-receive hook posting a signed GitHub push event
 * ({@link GitPushHook}). Each round: a commit pushed to the primary, timed from just before {@code git push} until the
 * backup's {@code refs/heads/main} is that commit (read from the backup's files every 5 ms); then, the baseline, a
 * commit pushed straight to a repository on the backup's daemon, timed from the same point until {@code git push}
 * returns. Rounds alternate; each waits for the mirror before the next.
 *
 * <p>Usage: {@code GitPushBenchmark --pushes 50 --warmup 3}. Prints a markdown block.
 */
public final class GitPushBenchmark {
    static final String PLAN = "pushbench";

    public static void main(String[] args) throws Exception {
        int pushes = 50;
        int warmup = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--pushes" -> pushes = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String command = BenchmarkSupport.command(GitPushBenchmark.class, args);
        System.out.print(run(pushes, warmup, command));
        System.exit(0); // the in-process host has non-daemon threads
    }

    static String run(int pushes, int warmup, String command) throws Exception {
        Path root = Files.createTempDirectory("roma-dr-git-push-bench-");
        GitDaemon primary = serve(root, "primary");
        GitDaemon backup = serve(root, "backup");
        try {
            GitCli.run(root.resolve("srv-backup"), "init", "-q", "--bare", "direct.git");
            Path plans = Files.createDirectories(root.resolve("plans"));
            Files.writeString(plans.resolve(PLAN + ".yaml"), """
                    name: %s
                    service:
                      composeProject: pushbench
                      containers: [{ service: app }]
                      healthChecks: [{ name: up, http: { url: "http://127.0.0.1:9/health" } }]
                    rto: { service: 15m }
                    backup:
                      store: { uri: "%s" }
                      git:
                        primary: { name: origin, url: "%s" }
                        backups:
                          - { name: backup-1, url: "%s" }
                    """.formatted(PLAN, root.resolve("store").toUri(), url(primary, "repo"), url(backup, "repo")));
            Path secret = Files.writeString(root.resolve("secret"), "bench-" + UUID.randomUUID() + "\n");
            int appPort = LocalServerProcess.freePort();
            Path config = Files.writeString(root.resolve("worker.yml"), String.join("\n",
                    "server:",
                    "  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: " + appPort + "}]",
                    "  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: " + LocalServerProcess.freePort()
                            + "}]",
                    "  requestLog: {appenders: []}",
                    "logging: {level: WARN}",
                    "temporal: {embedded: true, embeddedPort: " + LocalServerProcess.freePort()
                            + ", taskQueue: roma-dr-git-push-bench-" + UUID.randomUUID().toString().substring(0, 8)
                            + "}",
                    "plansDir: '" + plans + "'",
                    "webhooks:",
                    "  git: {secretFile: '" + secret + "'}",
                    ""));
            new RomaDrApplication().run("server", config.toString()); // returns once Jetty and the worker run
            GitPushHook.install(root.resolve("srv-primary/repo.git"), "http://127.0.0.1:" + appPort
                    + "/webhooks/git/" + PLAN, secret, root.resolve("hook.log"));
            Path work = root.resolve("work");
            GitCli.run(root, "clone", "-q", url(primary, "repo"), work.toString());
            Path backupMain = root.resolve("srv-backup/repo.git");
            Path directMain = root.resolve("srv-backup/direct.git");
            List<Long> mirrored = new ArrayList<>();
            List<Long> direct = new ArrayList<>();
            List<Long> hooked = new ArrayList<>();
            for (int i = 0; i < warmup + pushes; i++) {
                String sha = GitCli.commit(work, "README", "push " + i + "\n", null);
                long t0 = System.nanoTime();
                GitCli.run(work, "push", "-q", "origin", "HEAD:refs/heads/main");
                long pushReturned = System.nanoTime() - t0;
                awaitRef(backupMain, sha, t0);
                long pushToMirrored = System.nanoTime() - t0;

                String sha2 = GitCli.commit(work, "README", "direct " + i + "\n", null);
                long t1 = System.nanoTime();
                GitCli.run(work, "push", "-q", url(backup, "direct"), "HEAD:refs/heads/main");
                long directPush = System.nanoTime() - t1;
                if (!sha2.equals(ref(directMain))) {
                    throw new IllegalStateException("the direct push did not land: " + ref(directMain));
                }
                if (i >= warmup) {
                    mirrored.add(TimeUnit.NANOSECONDS.toMicros(pushToMirrored));
                    hooked.add(TimeUnit.NANOSECONDS.toMicros(pushReturned));
                    direct.add(TimeUnit.NANOSECONDS.toMicros(directPush));
                }
            }
            List<String> statuses = Files.readAllLines(root.resolve("hook.log"));
            if (!statuses.stream().allMatch("202"::equals)) {
                throw new IllegalStateException("the hook's posts were not all 202: " + statuses);
            }
            return report(pushes, warmup, mirrored, hooked, direct, command);
        } finally {
            primary.close();
            backup.close();
        }
    }

    private static GitDaemon serve(Path root, String name) throws Exception {
        Path base = Files.createDirectories(root.resolve("srv-" + name));
        GitCli.run(base, "init", "-q", "--bare", "repo.git");
        return GitDaemon.start(base);
    }

    private static String url(GitDaemon daemon, String repo) {
        return "git://127.0.0.1:" + daemon.port() + "/" + repo + ".git";
    }

    /** The commit of {@code refs/heads/main} in a bare repository, from its files; "" when it has none yet. */
    static String ref(Path bare) throws IOException {
        Path loose = bare.resolve("refs/heads/main");
        if (Files.exists(loose)) {
            String v = Files.readString(loose).trim();
            if (!v.isEmpty()) {
                return v;
            }
        }
        Path packed = bare.resolve("packed-refs");
        if (Files.exists(packed)) {
            for (String line : Files.readAllLines(packed)) {
                if (line.endsWith(" refs/heads/main")) {
                    return line.substring(0, line.indexOf(' '));
                }
            }
        }
        return "";
    }

    private static void awaitRef(Path bare, String sha, long t0) throws IOException {
        while (!sha.equals(ref(bare))) {
            if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(120)) {
                throw new IllegalStateException("the backup did not get " + sha + " within 120 s");
            }
            BenchmarkSupport.sleep(5);
        }
    }

    static String report(int pushes, int warmup, List<Long> mirrored, List<Long> hooked, List<Long> direct,
            String command) {
        long[] m = sorted(mirrored);
        long[] d = sorted(direct);
        StringBuilder out = new StringBuilder();
        out.append("### git push -> mirrored\n\n");
        out.append("Command: `").append(command).append("`\n\n");
        out.append(String.format(Locale.ROOT, "%d pushes (after %d warm-up), alternating with the baseline; ms%n%n",
                pushes, warmup));
        out.append("| | p50 | p99 | max |\n|---|---|---|---|\n");
        out.append(String.format(Locale.ROOT, "| push -> backup has the commit (roma-dr) | %.0f | %.0f | %.0f |%n",
                median(mirrored) / 1000, rank(m, 0.99) / 1000.0, m[m.length - 1] / 1000.0));
        long[] h = sorted(hooked);
        out.append(
                String.format(Locale.ROOT,
                        "| of which `git push` to the primary (its hook posts the event) | %.0f | %.0f"
                                + " | %.0f |%n",
                        median(hooked) / 1000, rank(h, 0.99) / 1000.0, h[h.length - 1] / 1000.0));
        out.append(String.format(Locale.ROOT, "| baseline: `git push` straight to the backup | %.0f | %.0f | %.0f |%n",
                median(direct) / 1000, rank(d, 0.99) / 1000.0, d[d.length - 1] / 1000.0));
        out.append(
                String.format(Locale.ROOT, "%nRatio of medians (roma-dr / direct push): %.1f. Goal p99 <= 10 s: %s%n",
                        median(mirrored) / median(direct), rank(m, 0.99) <= 10_000_000 ? "met" : "NOT met"));
        return out.toString();
    }
}
