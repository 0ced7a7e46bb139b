package io.romadr.activities.git;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code git} command line for tests: make commits, branches and tags in a working clone, push them to the
 * primary, and read a remote's refs with {@code git ls-remote} (independent of JGit). A missing git is a failure.
 */
public final class GitCli {
    private GitCli() {
    }

    /** Runs git in {@code dir} with a fixed identity; {@code env} adds e.g. GIT_COMMITTER_DATE. Returns stdout. */
    public static String run(Path dir, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=Roma Test", "-c",
                "user.email=roma@test.invalid", "-c", "gc.auto=0", "-c", "init.defaultBranch=main",
                "-c", "advice.detachedHead=false"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return fail("git is not installed: these tests need the real git CLI (" + e.getMessage() + ")");
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("git " + String.join(" ", args) + " did not finish in 60 s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail("git " + String.join(" ", args) + " in " + dir + " failed (" + p.exitValue() + "): " + text);
        }
        return text;
    }

    public static String run(Path dir, String... args) throws IOException, InterruptedException {
        return run(dir, Map.of(), args);
    }

    /** {@code git ls-remote url}: branches and tags (ref -> id, without the peeled ^{} lines). */
    public static Map<String, String> lsRemote(Path anyDir, String url) throws IOException, InterruptedException {
        Map<String, String> refs = new TreeMap<>();
        for (String line : run(anyDir, "ls-remote", "--heads", "--tags", url).split("\n")) {
            if (line.isBlank() || line.endsWith("^{}")) {
                continue;
            }
            String[] parts = line.split("\t");
            refs.put(parts[1], parts[0]);
        }
        return refs;
    }

    /** Commits a change to {@code file} in the working clone; returns the new commit id. */
    public static String commit(Path work, String file, String content, String date) throws IOException,
            InterruptedException {
        java.nio.file.Files.writeString(work.resolve(file), content);
        run(work, "add", file);
        Map<String, String> env = date == null
                ? Map.of()
                : Map.of("GIT_COMMITTER_DATE", date, "GIT_AUTHOR_DATE",
                        date);
        run(work, env, "commit", "-q", "-m", "change " + file + " " + content.length());
        return run(work, "rev-parse", "HEAD").trim();
    }
}
