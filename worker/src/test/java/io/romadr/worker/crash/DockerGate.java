package io.romadr.worker.crash;

import io.romadr.activities.docker.DockerClients;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * A pass-through proxy between a worker and the real Docker engine (its unix socket) that can hold one kind of
 * engine request: while {@link #hold} is set, a request whose line matches is not forwarded, so the activity that
 * sent it stays inside its step (heartbeating) until the test kills its worker. A held request whose worker died is
 * dropped, never forwarded; {@link #release} forwards the ones still waiting and stops holding. The worker reaches
 * it as {@code DOCKER_HOST=tcp://127.0.0.1:<port>}.
 */
public final class DockerGate implements AutoCloseable {
    private static final Pattern REQUEST_LINE = Pattern.compile("^(GET|POST|PUT|DELETE|HEAD) (\\S+) HTTP/1\\.[01]");

    private final Path engine;
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<String> held = new CopyOnWriteArrayList<>();
    private final List<String> dropped = new CopyOnWriteArrayList<>();
    private final List<String> forwarded = new CopyOnWriteArrayList<>();
    private volatile Pattern hold;

    private DockerGate(Path engine, ServerSocket server) {
        this.engine = engine;
        this.server = server;
    }

    /** Listens on a free port of 127.0.0.1 and forwards to the engine's unix socket. */
    public static DockerGate start(Path engineSocket) throws IOException {
        DockerGate gate = new DockerGate(engineSocket, new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Thread accept = new Thread(gate::acceptLoop, "docker-gate-accept");
        accept.setDaemon(true);
        accept.start();
        return gate;
    }

    /** The engine's unix socket a gate forwards to: the one the tests' own client uses ({@code DOCKER_HOST}). */
    public static Path engineSocket() {
        String host = System.getenv("DOCKER_HOST");
        host = host == null || host.isBlank() ? DockerClients.DEFAULT_HOST : host.trim();
        if (!host.startsWith("unix://")) {
            throw new IllegalStateException("the Docker gate sits in front of the engine's unix socket; DOCKER_HOST is "
                    + host);
        }
        return Path.of(host.substring("unix://".length()));
    }

    public String dockerHost() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    /** Holds requests whose "METHOD path" matches {@code pattern} (the path may carry a /v1.xx prefix). */
    public void hold(String pattern) {
        hold = Pattern.compile(pattern);
    }

    /** Stops holding and forwards the requests still waiting. */
    public void release() {
        hold = null;
    }

    /** Requests held right now (their workers alive and waiting). */
    public int waiting() {
        return held.size();
    }

    /** Held requests whose worker died: none of them reached the engine. */
    public List<String> dropped() {
        return new ArrayList<>(dropped);
    }

    /** Every request line that reached the engine. */
    public List<String> forwarded() {
        return new ArrayList<>(forwarded);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread t = new Thread(() -> serve(client), "docker-gate-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client; SocketChannel upstream = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            upstream.connect(UnixDomainSocketAddress.of(engine));
            Thread back = new Thread(() -> pumpBack(upstream, client), "docker-gate-back");
            back.setDaemon(true);
            back.start();
            client.setSoTimeout(200);
            byte[] buf = new byte[64 * 1024];
            var in = client.getInputStream();
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                if (n < 0) {
                    return;
                }
                String head = new String(buf, 0, Math.min(n, 512), StandardCharsets.ISO_8859_1);
                var m = REQUEST_LINE.matcher(head);
                String line = m.find() ? m.group(1) + " " + m.group(2) : null;
                if (line != null && !awaitRelease(line, in)) {
                    return; // the worker died while its request was held: it never reaches the engine
                }
                if (line != null) {
                    forwarded.add(line);
                }
                ByteBuffer out = ByteBuffer.wrap(buf, 0, n);
                while (out.hasRemaining()) {
                    upstream.write(out);
                }
            }
        } catch (IOException e) {
            // a side closed the connection
        } finally {
            open.remove(client);
        }
    }

    /** Returns true when the request may go on, false when its client went away while it was held. */
    private boolean awaitRelease(String line, java.io.InputStream in) throws IOException {
        Pattern p = hold;
        if (p == null || !p.matcher(line).find()) {
            return true;
        }
        held.add(line);
        try {
            while (hold != null) {
                // A closed client shows as end of stream; docker-java sends nothing else while it waits.
                try {
                    if (in.read() < 0) {
                        dropped.add(line);
                        return false;
                    }
                    throw new IOException("unexpected bytes from a client whose request is held: " + line);
                } catch (SocketTimeoutException e) {
                    // still waiting
                }
            }
            return true;
        } finally {
            held.remove(line);
        }
    }

    private static void pumpBack(SocketChannel upstream, Socket client) {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try {
            var out = client.getOutputStream();
            while (upstream.read(buf) >= 0) {
                buf.flip();
                out.write(buf.array(), 0, buf.limit());
                out.flush();
                buf.clear();
            }
        } catch (IOException e) {
            // closed
        } finally {
            try {
                client.close();
            } catch (IOException e) {
                // closing
            }
        }
    }

    @Override
    public void close() {
        release();
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "DockerGate[%s, holding %s, waiting %s, dropped %s]", dockerHost(), hold,
                held, dropped);
    }
}
