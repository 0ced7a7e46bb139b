package io.romadr.backup;

import io.romadr.plan.GitRemote;

public record GitFetchRequest(String plan, GitRemote primary) {
}
