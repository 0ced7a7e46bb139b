package io.romadr.activities.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The image of test, drill and benchmark containers: a root filesystem holding only a static busybox, made with
 * {@code docker import} (nothing is ever pulled). The busybox comes from {@code ROMA_DR_BUSYBOX}, else
 * {@code /bin/busybox}, else {@code /usr/bin/busybox} (Debian's {@code busybox-static}); it must be statically
 * linked, since the image has no C library.
 */
public final class SandboxImage {
    public static final String DEFAULT_IMAGE = "roma-dr/sandbox:busybox";
    static final List<String> APPLETS = List.of("sh", "httpd", "sleep", "echo", "mkdir", "cat", "rm", "wget");

    private SandboxImage() {
    }

    /** Makes sure {@link #DEFAULT_IMAGE} exists on the engine, importing it if needed; returns its name. */
    public static String ensure(DockerClient docker) {
        synchronized (SandboxImage.class) {
            if (exists(docker, DEFAULT_IMAGE)) {
                return DEFAULT_IMAGE;
            }
            byte[] tar = rootfs(busybox());
            String repository = DEFAULT_IMAGE.substring(0, DEFAULT_IMAGE.lastIndexOf(':'));
            String tag = DEFAULT_IMAGE.substring(DEFAULT_IMAGE.lastIndexOf(':') + 1);
            importImage(docker, repository, tag, tar);
            if (!exists(docker, DEFAULT_IMAGE)) {
                throw new IllegalStateException("docker import of " + DEFAULT_IMAGE + " did not produce the image");
            }
            return DEFAULT_IMAGE;
        }
    }

    /**
     * {@code docker import -}: POST /images/create?fromSrc=- with the tar as the body. docker-java 3.7.1's
     * {@code createImageCmd} JSON-encodes its InputStream instead of sending it (the engine answers "unexpected
     * EOF"), so the request goes straight through the client's transport.
     */
    static void importImage(DockerClient docker, String repository, String tag, byte[] tar) {
        if (!(docker instanceof DockerClientImpl impl)) {
            throw new IllegalStateException("cannot import " + repository + ":" + tag + " through a "
                    + docker.getClass().getName() + "; use DockerClients.fromEnvironment()");
        }
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path("/images/create?fromSrc=-&repo=" + URLEncoder.encode(repository, StandardCharsets.UTF_8)
                        + "&tag=" + URLEncoder.encode(tag, StandardCharsets.UTF_8))
                .putHeader("Content-Type", "application/x-tar")
                .body(new ByteArrayInputStream(tar))
                .build();
        try (DockerHttpClient.Response response = impl.getHttpClient().execute(request)) {
            String body = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
            if (response.getStatusCode() / 100 != 2 || body.contains("\"error")) {
                throw new IllegalStateException("docker import of " + repository + ":" + tag + " failed: HTTP "
                        + response.getStatusCode() + " " + body.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("docker import of " + repository + ":" + tag + " failed", e);
        }
    }

    public static boolean exists(DockerClient docker, String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** The busybox binary to put in the image. */
    static Path busybox() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("ROMA_DR_BUSYBOX");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env.trim()));
        }
        candidates.add(Path.of("/bin/busybox"));
        candidates.add(Path.of("/usr/bin/busybox"));
        for (Path p : candidates) {
            if (Files.isRegularFile(p) && Files.isReadable(p)) {
                if (!isStatic(p)) {
                    throw new IllegalStateException(p + " is dynamically linked; the sandbox image needs a static"
                            + " busybox: install Debian's busybox-static or set ROMA_DR_BUSYBOX to a static one");
                }
                return p;
            }
        }
        throw new IllegalStateException("no busybox found (tried " + candidates
                + "): install Debian's busybox-static or set ROMA_DR_BUSYBOX to a static busybox binary");
    }

    /** An ELF executable without a PT_INTERP program header needs no dynamic loader. */
    static boolean isStatic(Path elf) {
        try (RandomAccessFile f = new RandomAccessFile(elf.toFile(), "r")) {
            byte[] ident = new byte[64];
            f.readFully(ident);
            if (ident[0] != 0x7f || ident[1] != 'E' || ident[2] != 'L' || ident[3] != 'F') {
                return false;
            }
            boolean is64 = ident[4] == 2;
            ByteBuffer h = ByteBuffer.wrap(ident).order(ident[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            long phoff = is64 ? h.getLong(0x20) : Integer.toUnsignedLong(h.getInt(0x1C));
            int phentsize = Short.toUnsignedInt(h.getShort(is64 ? 0x36 : 0x2A));
            int phnum = Short.toUnsignedInt(h.getShort(is64 ? 0x38 : 0x2C));
            byte[] ph = new byte[4];
            for (int i = 0; i < phnum; i++) {
                f.seek(phoff + (long) i * phentsize);
                f.readFully(ph);
                int type = ByteBuffer.wrap(ph).order(h.order()).getInt();
                if (type == 3) { // PT_INTERP
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The root filesystem as a tar: /bin/busybox, applet symlinks, /www, /tmp. */
    static byte[] rootfs(Path busybox) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            dir(tar, "bin/", 0755);
            dir(tar, "www/", 0755);
            dir(tar, "tmp/", 01777);
            TarArchiveEntry bin = new TarArchiveEntry("bin/busybox");
            bin.setMode(0100755);
            bin.setSize(Files.size(busybox));
            tar.putArchiveEntry(bin);
            Files.copy(busybox, tar);
            tar.closeArchiveEntry();
            for (String applet : APPLETS) {
                TarArchiveEntry link = new TarArchiveEntry("bin/" + applet, TarArchiveEntry.LF_SYMLINK);
                link.setLinkName("busybox");
                link.setMode(0120777);
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the sandbox root filesystem from " + busybox, e);
        }
        return bytes.toByteArray();
    }

    private static void dir(TarArchiveOutputStream tar, String name, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040000 | mode);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }
}
