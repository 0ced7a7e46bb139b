package io.romadr.gitrecovery;

import io.romadr.plan.GitRemote;

public record GitProbeRequest(String plan, GitRemote remote) {
}
