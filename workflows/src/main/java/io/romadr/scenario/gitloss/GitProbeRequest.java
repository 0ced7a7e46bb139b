package io.romadr.scenario.gitloss;

import io.romadr.plan.GitRemote;

public record GitProbeRequest(String plan, GitRemote remote) {
}
