package io.romadr.activities.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts an untrusted tar.gz into a fresh staging directory ({@code .roma-staging-*}) created inside a parent
 * directory, refusing the whole archive on the first unsafe entry.
 *
 * <p>For every entry, before anything is written for it: the name must not be absolute, contain NUL or any {@code ..}
 * component, and its normalised path must lie inside staging; no existing parent of it may be a symbolic link or a
 * non-directory (nothing is ever written through a link); a symbolic link's target must be relative and resolve
 * inside staging; a hard link's target must be a regular file extracted earlier from the same archive; character and
 * block devices, fifos, sparse and unknown entry types are refused; the entry count and the sum of file sizes must stay
 * within the configured limits. After the last entry, every symbolic link is resolved again through the links now in
 * staging (so a chain of links cannot escape where each link alone looks harmless). On the first refusal (or any I/O
 * error, e.g. a corrupt gzip stream) the staging directory is deleted and an {@link UnsafeArchiveException} naming
 * the entry and the reason is thrown: a rejected archive leaves nothing behind and writes nothing outside staging.
 *
 * <p>Modes (permission bits only: setuid/setgid/sticky are dropped) and modification times are restored; owners are
 * not. {@link #verifyThenExtract} first streams the archive to a temporary file beside staging while computing its
 * SHA-256 (constant memory), refuses on mismatch before extracting anything, then extracts from that file.
 */
public final class SafeExtractor {

  public static final long DEFAULT_MAX_ENTRIES = 1_000_000;
  public static final long DEFAULT_MAX_TOTAL_BYTES = 256L << 30; // 256 GiB
  private static final int MAX_SYMLINK_HOPS = 40;

  /** Where the extracted tree is (staging, or the target after {@link #restore}), entries and content bytes. */
  public record ExtractResult(Path directory, long entries, long bytes) {}

  private final long maxEntries;
  private final long maxTotalBytes;

  public SafeExtractor() {
    this(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_TOTAL_BYTES);
  }

  public SafeExtractor(long maxEntries, long maxTotalBytes) {
    if (maxEntries < 1 || maxTotalBytes < 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
    this.maxEntries = maxEntries;
    this.maxTotalBytes = maxTotalBytes;
  }

  /** The directory where staging for {@code target} goes: its parent, so the swap is a same-filesystem rename. */
  public static Path stagingParentFor(Path target) {
    Path abs = target.toAbsolutePath().normalize();
    Path parent = abs.getParent();
    if (parent == null) {
      throw new IllegalArgumentException("target has no parent: " + target);
    }
    return parent;
  }

  /**
   * Verifies, extracts and swaps into place: {@code target} is replaced only by a complete, verified tree.
   */
  public ExtractResult restore(InputStream tarGz, String expectedSha256, Path target) throws IOException {
    Path t = target.toAbsolutePath().normalize();
    AtomicSwap.recover(t);
    ExtractResult staged = verifyThenExtract(tarGz, expectedSha256, stagingParentFor(t));
    try {
      AtomicSwap.swap(staged.directory(), t);
    } catch (IOException | RuntimeException e) {
      AtomicSwap.deleteTree(staged.directory());
      throw e;
    }
    return new ExtractResult(t, staged.entries(), staged.bytes());
  }

  /**
   * Streams {@code tarGz} to a temporary file in {@code stagingParent} computing its SHA-256; refuses (deleting the
   * file, extracting nothing) when it differs from {@code expectedSha256} (hex); else extracts it into a new staging
   * directory there. The temporary file is always deleted.
   */
  public ExtractResult verifyThenExtract(InputStream tarGz, String expectedSha256, Path stagingParent)
      throws IOException {
    if (expectedSha256 == null || !expectedSha256.matches("(?i)[0-9a-f]{64}")) {
      throw new IllegalArgumentException("expected SHA-256 must be 64 hex digits: " + expectedSha256);
    }
    Files.createDirectories(stagingParent);
    Path download = Files.createTempFile(stagingParent, ".roma-download-", ".tar.gz");
    try {
      MessageDigest sha256 = sha256();
      try (DigestInputStream in = new DigestInputStream(tarGz, sha256);
           OutputStream out = Files.newOutputStream(download, StandardOpenOption.WRITE,
               StandardOpenOption.TRUNCATE_EXISTING)) {
        in.transferTo(out);
      }
      String actual = HexFormat.of().formatHex(sha256.digest());
      if (!actual.equals(expectedSha256.toLowerCase(Locale.ROOT))) {
        throw new UnsafeArchiveException(null,
            "SHA-256 mismatch: expected " + expectedSha256.toLowerCase(Locale.ROOT) + ", got " + actual);
      }
      try (InputStream in = Files.newInputStream(download)) {
        return extract(in, stagingParent);
      }
    } finally {
      Files.deleteIfExists(download);
    }
  }

  /** Extracts {@code tarGz} into a new staging directory inside {@code stagingParent} (created if missing). */
  public ExtractResult extract(InputStream tarGz, Path stagingParent) throws IOException {
    Files.createDirectories(stagingParent);
    Path staging = Files.createTempDirectory(stagingParent, ".roma-staging-").toRealPath();
    try {
      return extractInto(tarGz, staging);
    } catch (IOException | RuntimeException | Error e) {
      try {
        AtomicSwap.deleteTree(staging);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private record Deferred(Path path, int mode, FileTime mtime) {}

  private ExtractResult extractInto(InputStream tarGz, Path staging) throws IOException {
    Set<String> regularFiles = new HashSet<>();
    List<Deferred> directories = new ArrayList<>();
    List<Path> symlinks = new ArrayList<>();
    long entries = 0;
    long bytes = 0;
    byte[] buf = new byte[64 * 1024];
    TarArchiveInputStream tar = new TarArchiveInputStream(
        new GZIPInputStream(new BufferedInputStream(tarGz, 64 * 1024), 64 * 1024));
    TarArchiveEntry entry;
    while ((entry = tar.getNextEntry()) != null) {
      String name = entry.getName();
      entries++;
      if (entries > maxEntries) {
        throw new UnsafeArchiveException(name, "more than " + maxEntries + " entries");
      }
      if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
        throw new UnsafeArchiveException(name, "device or fifo entry (type '" + (char) entry.getLinkFlag() + "')");
      }
      String rel = relativeName(name, name);
      if (rel.isEmpty()) {
        if (entry.isDirectory()) {
          continue; // "./": staging itself
        }
        throw new UnsafeArchiveException(name, "empty path");
      }
      Path path = staging.resolve(rel).normalize();
      if (!path.startsWith(staging) || path.equals(staging)) {
        throw new UnsafeArchiveException(name, "path resolves outside the staging directory");
      }
      checkParents(staging, path, name);
      FileTime mtime = entry.getLastModifiedTime();
      int mode = entry.getMode() & 0777;

      if (entry.isSymbolicLink()) {
        String target = entry.getLinkName();
        if (target == null || target.isEmpty() || target.indexOf('\0') >= 0) {
          throw new UnsafeArchiveException(name, "empty or invalid symbolic link target");
        }
        if (target.startsWith("/")) {
          throw new UnsafeArchiveException(name, "absolute symbolic link target '" + target + "'");
        }
        Path resolved = path.getParent().resolve(target).normalize();
        if (!resolved.startsWith(staging)) {
          throw new UnsafeArchiveException(name, "symbolic link target '" + target + "' escapes the staging directory");
        }
        replaceExisting(path, name, false);
        Files.createSymbolicLink(path, path.getFileSystem().getPath(target));
        setTimesNoFollow(path, mtime);
        symlinks.add(path);
      } else if (entry.isLink()) {
        String target = entry.getLinkName();
        String targetRel = relativeName(target == null ? "" : target, name);
        if (targetRel.isEmpty() || !regularFiles.contains(targetRel)) {
          throw new UnsafeArchiveException(name,
              "hard link target '" + target + "' is not a regular file extracted earlier from this archive");
        }
        Path source = staging.resolve(targetRel).normalize();
        if (!source.startsWith(staging) || !Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
          throw new UnsafeArchiveException(name, "hard link target '" + target + "' escapes the staging directory");
        }
        checkParents(staging, source, name);
        replaceExisting(path, name, false);
        Files.createLink(path, source);
        regularFiles.add(rel);
      } else if (entry.isDirectory()) {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
          if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            replaceExisting(path, name, false);
            Files.createDirectory(path);
          }
        } else {
          Files.createDirectory(path);
        }
        directories.add(new Deferred(path, mode, mtime));
      } else if (entry.isFile() && !entry.isSparse() && isPlainFileType(entry.getLinkFlag())) {
        long size = entry.getSize();
        if (size < 0 || bytes + size > maxTotalBytes || bytes + size < 0) {
          throw new UnsafeArchiveException(name, "total size would exceed " + maxTotalBytes + " bytes");
        }
        replaceExisting(path, name, true);
        long written = 0;
        try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
          int n;
          while ((n = tar.read(buf)) != -1) {
            written += n;
            if (written > size) {
              throw new UnsafeArchiveException(name, "more data than the entry's declared size");
            }
            out.write(buf, 0, n);
          }
        }
        if (written != size) {
          throw new UnsafeArchiveException(name, "truncated: " + written + " of " + size + " bytes");
        }
        bytes += written;
        Files.setPosixFilePermissions(path, permissions(mode));
        Files.setLastModifiedTime(path, mtime);
        regularFiles.add(rel);
      } else {
        throw new UnsafeArchiveException(name, "unsupported entry type '" + (char) entry.getLinkFlag() + "'"
            + (entry.isSparse() ? " (sparse)" : ""));
      }
    }
    // a chain of links, each harmless alone, must not escape either: resolve every link through what is now there
    for (Path link : symlinks) {
      if (resolveWithin(staging, link.getParent(), Files.readSymbolicLink(link).toString(), new int[] {MAX_SYMLINK_HOPS})
          == null) {
        throw new UnsafeArchiveException(staging.relativize(link).toString(),
            "symbolic link target '" + Files.readSymbolicLink(link) + "' escapes the staging directory through other links");
      }
    }
    for (int i = directories.size() - 1; i >= 0; i--) { // deepest last-listed first, so children are done
      Deferred d = directories.get(i);
      Files.setPosixFilePermissions(d.path(), permissions(d.mode()));
      Files.setLastModifiedTime(d.path(), d.mtime());
    }
    return new ExtractResult(staging, entries, bytes);
  }

  private static boolean isPlainFileType(byte flag) {
    return flag == '0' || flag == 0 || flag == '7';
  }

  /** Normalises an entry name to a relative path ("" for the root), refusing absolute, NUL and '..' names. */
  private static String relativeName(String raw, String entryName) throws UnsafeArchiveException {
    if (raw.indexOf('\0') >= 0) {
      throw new UnsafeArchiveException(entryName, "NUL in path");
    }
    if (raw.startsWith("/")) {
      throw new UnsafeArchiveException(entryName, "absolute path '" + raw + "'");
    }
    StringBuilder sb = new StringBuilder();
    for (String part : raw.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw new UnsafeArchiveException(entryName, "'..' in path '" + raw + "'");
      }
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(part);
    }
    return sb.toString();
  }

  /** Every existing ancestor between staging and path must be a real directory; missing ones are created. */
  private static void checkParents(Path staging, Path path, String name) throws IOException {
    Path rel = staging.relativize(path.getParent());
    Path cur = staging;
    for (Path part : rel) {
      if (part.toString().isEmpty()) {
        continue;
      }
      cur = cur.resolve(part);
      if (Files.isSymbolicLink(cur)) {
        throw new UnsafeArchiveException(name, "parent '" + staging.relativize(cur) + "' is a symbolic link");
      }
      if (Files.exists(cur, LinkOption.NOFOLLOW_LINKS)) {
        if (!Files.isDirectory(cur, LinkOption.NOFOLLOW_LINKS)) {
          throw new UnsafeArchiveException(name, "parent '" + staging.relativize(cur) + "' is not a directory");
        }
      } else {
        Files.createDirectory(cur);
      }
    }
  }

  /** A later entry replaces an earlier file or link of the same name (as tar does), never a directory. */
  private static void replaceExisting(Path path, String name, boolean file) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new UnsafeArchiveException(name, "would replace a directory");
    }
    Files.delete(path); // does not follow links
  }

  /** Resolves a relative link target from {@code dir} through links present in staging; null if it escapes. */
  private static Path resolveWithin(Path staging, Path dir, String target, int[] hops) throws IOException {
    if (target.startsWith("/")) {
      return null;
    }
    Path cur = dir;
    for (String part : target.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        cur = cur.getParent();
        if (cur == null || !cur.startsWith(staging)) {
          return null;
        }
        continue;
      }
      Path next = cur.resolve(part);
      if (Files.isSymbolicLink(next)) {
        if (--hops[0] < 0) {
          return null; // a loop, or too deep to prove safe
        }
        cur = resolveWithin(staging, cur, Files.readSymbolicLink(next).toString(), hops);
        if (cur == null) {
          return null;
        }
      } else {
        cur = next;
      }
      if (!cur.startsWith(staging)) {
        return null;
      }
    }
    return cur;
  }

  private static void setTimesNoFollow(Path link, FileTime mtime) {
    try {
      Files.getFileAttributeView(link, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setTimes(mtime, null, null);
    } catch (IOException | UnsupportedOperationException ignored) {
      // link times are cosmetic
    }
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int i = 0; i < 9; i++) {
      if ((mode & (1 << i)) != 0) {
        s.add(order[i]);
      }
    }
    return s;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
