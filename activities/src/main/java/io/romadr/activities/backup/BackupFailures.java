package io.romadr.activities.backup;

import io.romadr.activities.FailureMessages;
import io.romadr.activities.archive.UnsafeArchiveException;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the backup, restore and test-restore activities turn an error into a Temporal failure, in one place. What a
 * retry cannot cure is non-retryable: a refusal ({@link BackupRefusedException}, its own type), an archive entry
 * that is unsafe or that the file system cannot hold ({@value #UNRESTORABLE}). I/O and engine errors are retryable.
 * Every message is {@link FailureMessages#bounded bounded} (it quotes archive names and paths); the exception itself
 * goes to the worker's log, not into the failure, whose cause chain would carry the unbounded text again.
 */
final class BackupFailures {
    /** The failure type of an archive that cannot be restored as it is. */
    static final String UNRESTORABLE = "UnrestorableBackup";
    private static final Logger log = LoggerFactory.getLogger(BackupFailures.class);

    private BackupFailures() {
    }

    /** {@code what} says what failed ("restoring x into y"); {@code ioType} is the retryable I/O type. */
    static RuntimeException failure(String what, Exception e, String ioType) {
        if (e instanceof ActivityCompletionException || e instanceof ApplicationFailure) {
            return (RuntimeException) e; // cancellation and failures already shaped pass through
        }
        String message = FailureMessages.bounded(what + " failed: " + e.getMessage());
        if (e instanceof BackupRefusedException refused) {
            return ApplicationFailure.newNonRetryableFailure(message, refused.type());
        }
        log.warn("{} failed", FailureMessages.bounded(what), e);
        if (e instanceof UnsafeArchiveException || cannotHold(e)) {
            return ApplicationFailure.newNonRetryableFailure(message, UNRESTORABLE);
        }
        String type = e instanceof IOException || e instanceof UncheckedIOException
                ? ioType
                : e.getClass().getSimpleName();
        return ApplicationFailure.newFailure(message, type);
    }

    /** The file system refused a name or a link count (ENAMETOOLONG, EMLINK): the same on every attempt. */
    private static boolean cannotHold(Exception e) {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (t instanceof FileSystemException fs && fs.getReason() != null) {
            String reason = fs.getReason();
            return reason.contains("File name too long") || reason.contains("Too many links");
        }
        return false;
    }
}
