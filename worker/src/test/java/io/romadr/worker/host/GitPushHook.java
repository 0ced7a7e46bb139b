package io.romadr.worker.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * What a forge does on a push, as a bare repository's {@code hooks/post-receive}: one GitHub push event per updated
 * ref, signed with HMAC-SHA256 of the shared secret (openssl), posted with curl to the worker host's
 * {@code /webhooks/git/<plan>}; the HTTP status of each post is appended to a log. For the end-to-end test and the
 * benchmark.
 */
public final class GitPushHook {
    private GitPushHook() {
    }

    /** Installs the hook in {@code bare}; {@code secret} is the file holding the webhook's secret. */
    public static void install(Path bare, String url, Path secret, Path log) throws IOException {
        Path hook = bare.resolve("hooks/post-receive");
        Files.createDirectories(hook.getParent());
        Files.writeString(hook, """
                #!/bin/sh
                # A forge's push webhook: a GitHub push event signed with HMAC-SHA256 of the shared secret.
                while read old new ref; do
                  body=$(printf '{"ref":"%%s","before":"%%s","after":"%%s","repository":{"pushed_at":%%s}}' \\
                    "$ref" "$old" "$new" "$(date +%%s)")
                  sig=$(printf '%%s' "$body" | openssl dgst -sha256 -hmac "$(cat '%s')" | sed 's/^.* //')
                  curl -sS --max-time 10 -o /dev/null -w '%%{http_code}\\n' -X POST \\
                    -H 'Content-Type: application/json' -H 'X-GitHub-Event: push' \\
                    -H "X-GitHub-Delivery: $(cat /proc/sys/kernel/random/uuid)" \\
                    -H "X-Hub-Signature-256: sha256=$sig" --data-binary "$body" '%s' >> '%s'
                done
                """.formatted(secret, url, log));
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
