package io.romadr.backup;

import io.romadr.plan.GitRemote;
import java.time.Duration;

public record GitCheckRequest(String plan, GitRemote primary, GitRemote backup, Duration maxLag) {
}
