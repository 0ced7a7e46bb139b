package io.romadr.activities.archive;

import java.io.IOException;

/** An archive was refused: names the entry (null when the whole archive is refused, e.g. by checksum) and why. */
public final class UnsafeArchiveException extends IOException {

  private final String entry;
  private final String reason;

  public UnsafeArchiveException(String entry, String reason) {
    super(entry == null ? "archive refused: " + reason : "archive entry '" + entry + "' refused: " + reason);
    this.entry = entry;
    this.reason = reason;
  }

  /** The refused entry's name as stored in the archive, or null when the refusal is not about one entry. */
  public String entry() {
    return entry;
  }

  public String reason() {
    return reason;
  }
}
