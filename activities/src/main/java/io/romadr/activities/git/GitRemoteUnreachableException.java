package io.romadr.activities.git;

/**
 * A remote could not be reached or refused the conversation (connection refused, timeout, authentication). The
 * message names the remote's role, name and URL (without user-info) and never a credential; Temporal retries it.
 * {@link #detail()} is JGit's reason alone (cleaned), for evidence text that already names the remote.
 */
public class GitRemoteUnreachableException extends RuntimeException {
    private final String detail;

    public GitRemoteUnreachableException(String message, String detail) {
        super(message);
        this.detail = detail;
    }

    public String detail() {
        return detail;
    }
}
