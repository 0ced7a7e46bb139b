package io.romadr.plan;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's seed plan, {@code deploy/plans/roma.yaml}, for tests that check against it. */
public final class SeedPlan {
    private SeedPlan() {
    }

    /** The repository root, found upwards from the working directory. */
    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("deploy/plans"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("run from inside the repository");
        }
        return p;
    }

    public static RecoveryPlan load() {
        return new PlanLoader().load(repoRoot().resolve("deploy/plans/roma.yaml"));
    }
}
