package io.romadr.activities.backup;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the plain tar of a container directory (as {@link EngineArchive} streams it, every entry prefixed with the
 * directory's basename) and hands each regular file whose relative path matches an include glob to a visitor.
 * The globs mean what they mean for a snapshot ({@link SnapshotArchiver}): {@code glob:} matchers on the path
 * relative to the directory; symbolic links, hard links and other entry types are not artifacts.
 */
public final class ContainerArtifacts {

    public interface Visitor {
        void file(String relativePath, InputStream content) throws IOException;
    }

    private ContainerArtifacts() {
    }

    /** Include globs as path matchers; empty means every file. */
    public static List<PathMatcher> matchers(List<String> include) {
        List<String> globs = include == null || include.isEmpty() ? List.of("**") : include;
        List<PathMatcher> out = new ArrayList<>();
        for (String glob : globs) {
            out.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
        }
        return out;
    }

    static boolean matches(List<PathMatcher> matchers, String rel) {
        Path p = Path.of(rel);
        return matchers.stream().anyMatch(m -> m.matches(p));
    }

    /** Returns how many files the visitor saw. The stream is read to its end, not closed. */
    public static int read(InputStream dockerTar, List<PathMatcher> include, Visitor visitor) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(dockerTar);
        String prefix = null;
        int files = 0;
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            String name = SnapshotArchiver.trimSlashes(entry.getName());
            if (prefix == null) {
                prefix = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
            }
            if (!entry.isFile() || entry.isLink() || entry.isSymbolicLink() || !name.startsWith(prefix + "/")) {
                continue;
            }
            String rel = name.substring(prefix.length() + 1);
            if (!matches(include, rel)) {
                continue;
            }
            files++;
            visitor.file(rel, new FilterInputStream(tar) {
                @Override
                public void close() {
                    // the entry belongs to the tar stream
                }
            });
        }
        if (prefix == null) {
            throw new IOException("the engine sent an empty archive");
        }
        return files;
    }
}
