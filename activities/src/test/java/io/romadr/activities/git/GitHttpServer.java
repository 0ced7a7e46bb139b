package io.romadr.activities.git;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Smart HTTP for tests: the JDK's HTTP server runs the real {@code git http-backend} as a CGI for every request
 * under {@code /git/}, serving the bare repositories of one directory (pushes allowed), behind HTTP basic auth with
 * one user and password. Counts the requests it turned away for bad or missing credentials.
 */
final class GitHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final Path projectRoot;
    private final String expectedAuth;
    private final AtomicInteger unauthorized = new AtomicInteger();

    GitHttpServer(Path projectRoot, String user, String password) throws IOException {
        this.projectRoot = projectRoot;
        this.expectedAuth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/git/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    String url(String repo) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/git/" + repo + ".git";
    }

    int unauthorized() {
        return unauthorized.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!expectedAuth.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                unauthorized.incrementAndGet();
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                ex.sendResponseHeaders(401, -1);
                return;
            }
            cgi(ex);
        }
    }

    private void cgi(HttpExchange ex) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
        Map<String, String> env = pb.environment();
        env.put("GIT_PROJECT_ROOT", projectRoot.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("GATEWAY_INTERFACE", "CGI/1.1");
        env.put("SERVER_PROTOCOL", "HTTP/1.1");
        env.put("REQUEST_METHOD", ex.getRequestMethod());
        env.put("PATH_INFO", ex.getRequestURI().getPath().substring("/git".length()));
        env.put("QUERY_STRING", ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery());
        env.put("REMOTE_USER", "roma");
        env.put("REMOTE_ADDR", "127.0.0.1");
        putHeader(ex, env, "Content-Type", "CONTENT_TYPE");
        putHeader(ex, env, "Content-Length", "CONTENT_LENGTH");
        putHeader(ex, env, "Content-Encoding", "HTTP_CONTENT_ENCODING");
        putHeader(ex, env, "Git-Protocol", "HTTP_GIT_PROTOCOL");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        // The request body goes in on its own thread so a large response cannot block it.
        Thread feeder = new Thread(() -> {
            try (OutputStream in = p.getOutputStream(); InputStream body = ex.getRequestBody()) {
                body.transferTo(in);
            } catch (IOException ignored) {
                // The backend stopped reading; its exit status and output tell the client.
            }
        });
        feeder.start();
        InputStream out = p.getInputStream();
        int status = 200;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = out.read()) != -1) {
            if (b == '\n') {
                String header = line.toString(StandardCharsets.ISO_8859_1).replace("\r", "");
                line.reset();
                if (header.isEmpty()) {
                    break;
                }
                int colon = header.indexOf(':');
                String name = header.substring(0, colon).trim();
                String value = header.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Status")) {
                    status = Integer.parseInt(value.substring(0, 3));
                } else {
                    ex.getResponseHeaders().add(name, value);
                }
            } else {
                line.write(b);
            }
        }
        ex.sendResponseHeaders(status, 0);
        try (OutputStream body = ex.getResponseBody()) {
            out.transferTo(body);
        }
        try {
            feeder.join();
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void putHeader(HttpExchange ex, Map<String, String> env, String header, String var) {
        String value = ex.getRequestHeaders().getFirst(header);
        if (value != null) {
            env.put(var, value);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
