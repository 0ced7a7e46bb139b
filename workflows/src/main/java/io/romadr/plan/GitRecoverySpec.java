package io.romadr.plan;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.List;

/**
 * Scenario 4, "git repository lost/corrupted": how to recreate the primary when it is gone ({@code recreate}:
 * commands run on the worker host, e.g. {@code git init --bare /srv/git/roma.git} or an API call of the git
 * hosting), which branch the verification compares ({@code branch}, default {@code main}), the plan's build/test
 * commands run in a fresh clone ({@code verify}, seed step 3: "pnpm install && pnpm build && pnpm test"), and how
 * long a force-update of the primary waits for an operator's approval ({@code approvalTimeout}, default 1h), and the
 * recovery time objective the report measures against ({@code rto}, default 4h: the seed's risk table, "git repo
 * loss").
 */
public record GitRecoverySpec(
        List<CommandStep> recreate,
        String branch,
        List<CommandStep> verify,
        @JsonDeserialize(using = DurationDeserializer.class) Duration approvalTimeout,
        @JsonDeserialize(using = DurationDeserializer.class) Duration rto) {

    public static final GitRecoverySpec DEFAULTS = new GitRecoverySpec(null, null, null, null, null);

    public GitRecoverySpec {
        recreate = recreate == null ? List.of() : List.copyOf(recreate);
        branch = branch == null || branch.isBlank() ? "main" : branch;
        verify = verify == null ? List.of() : List.copyOf(verify);
        approvalTimeout = approvalTimeout == null ? Duration.ofHours(1) : approvalTimeout;
        rto = rto == null ? Duration.ofHours(4) : rto;
        InvalidFieldException.require(!rto.isNegative() && !rto.isZero(), "rto", "must be positive");
        InvalidFieldException.require(!approvalTimeout.isNegative() && !approvalTimeout.isZero(), "approvalTimeout",
                "must be positive");
    }
}
