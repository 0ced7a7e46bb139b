package io.romadr.activities.git;

/**
 * A remote could not be reached or refused the conversation (connection refused, timeout, authentication). The
 * message names the remote's role, name and URL (without user-info) and never a credential; Temporal retries it.
 */
public class GitRemoteUnreachableException extends RuntimeException {
    public GitRemoteUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
