package io.romadr.activities.compute;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.romadr.activities.archive.TarSanitizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Files in a server container of the docker provider, through the engine's archive API: an untrusted tar is
 * validated before it is sent, a single file goes as a one-entry tar, a read comes back as one.
 */
final class DockerServerFiles {
    private final DockerClient docker;
    private final DockerServerCommands commands;

    DockerServerFiles(DockerClient docker, DockerServerCommands commands) {
        this.docker = docker;
        this.commands = commands;
    }

    /**
     * Validates the untrusted tar into a temporary file ({@link TarSanitizer}: nothing is sent when any entry is
     * unsafe), creates {@code directory} and lets the engine extract the archive there.
     */
    void copyIn(String serverId, String directory, InputStream tar) throws IOException {
        requireAbsolute(directory);
        Path clean = new TarSanitizer().sanitizeToFile(tar);
        try {
            commands.helper(serverId, List.of("mkdir", "-p", "--", directory), "creating " + directory);
            try (InputStream in = Files.newInputStream(clean)) {
                docker.copyArchiveToContainerCmd(serverId).withRemotePath(directory).withTarInputStream(in).exec();
            } catch (DockerException e) {
                throw DockerHostCompute.failure("copying an archive into " + directory + " of server " + serverId, e);
            }
        } finally {
            Files.deleteIfExists(clean);
        }
    }

    void writeFile(String serverId, String path, byte[] content, int mode) throws IOException {
        requireAbsolute(path);
        Path p = Path.of(path).normalize();
        if (p.getFileName() == null || p.getParent() == null) {
            throw new IllegalArgumentException("not a file path: " + path);
        }
        String parent = p.getParent().toString();
        commands.helper(serverId, List.of("mkdir", "-p", "--", parent), "creating " + parent);
        ByteArrayOutputStream buf = new ByteArrayOutputStream(content.length + 2048);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(buf)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry entry = new TarArchiveEntry(p.getFileName().toString());
            entry.setSize(content.length);
            entry.setMode(mode & 07777);
            entry.setModTime(System.currentTimeMillis());
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
            tar.finish();
        }
        try {
            docker.copyArchiveToContainerCmd(serverId).withRemotePath(parent)
                    .withTarInputStream(new ByteArrayInputStream(buf.toByteArray())).exec();
        } catch (DockerException e) {
            // The engine's message is about the path or the container, never the archive's content.
            throw DockerHostCompute.failure("writing " + path + " in server " + serverId, e);
        }
    }

    byte[] readFile(String serverId, String path, int maxBytes) throws IOException {
        requireAbsolute(path);
        InputStream raw;
        try {
            raw = docker.copyArchiveFromContainerCmd(serverId, path).exec();
        } catch (NotFoundException e) {
            throw new NoSuchFileException(path, null, "not found in server " + serverId);
        } catch (DockerException e) {
            throw DockerHostCompute.failure("reading " + path + " from server " + serverId, e);
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
            TarArchiveEntry entry = tar.getNextEntry();
            if (entry == null) {
                throw new NoSuchFileException(path, null, "empty archive from server " + serverId);
            }
            if (!entry.isFile()) {
                throw new IOException(path + " in server " + serverId + " is not a regular file");
            }
            if (entry.getSize() > maxBytes) {
                throw new IOException(path + " in server " + serverId + " has " + entry.getSize()
                        + " bytes, more than the " + maxBytes + " allowed");
            }
            return tar.readNBytes((int) entry.getSize());
        }
    }

    private static void requireAbsolute(String path) {
        if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not an absolute server path: " + path);
        }
    }
}
