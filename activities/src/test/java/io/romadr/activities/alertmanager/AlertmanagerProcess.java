package io.romadr.activities.alertmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.romadr.activities.LocalServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A real Prometheus Alertmanager (the Debian package {@code prometheus-alertmanager}) for tests: writes its
 * configuration (one route to one receiver: a webhook with bearer token or basic auth read from files, and/or an
 * e-mail receiver delivering over SMTP with STARTTLS, a CA file and AUTH; {@code send_resolved: true}), starts it on a free 127.0.0.1 port with clustering disabled, waits until {@code /-/ready} answers, posts
 * alerts through the v2 API, and kills it on {@link #close()}. Its log is kept (also after close) for failure
 * messages.
 *
 * <p>A missing binary is an error, never a skip: CI installs the package ({@code .ci/run}). The binary is
 * {@code $ROMA_DR_ALERTMANAGER}, else {@code prometheus-alertmanager} or {@code alertmanager} on {@code PATH}.
 */
public final class AlertmanagerProcess extends LocalServerProcess {
    public static final String RECEIVER = "roma-dr";
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether a posted alert is firing (no end) or resolved (ends now, i.e. in the past when Alertmanager sees it). */
    public enum State {
        FIRING, RESOLVED
    }

    /** How Alertmanager authenticates to the webhook; the secrets are written to files (never into the config). */
    public sealed interface Auth {
        record Bearer(String token) implements Auth {
        }

        record Basic(String username, String password) implements Auth {
        }

        record None() implements Auth {
        }
    }

    /**
     * Alertmanager's e-mail receiver ({@code email_configs}): delivers to {@code 127.0.0.1:smtpPort}.
     *
     * @param caFile   STARTTLS required and the server's certificate checked against this PEM file; null: plain SMTP
     *                 ({@code require_tls: false})
     * @param username AUTH with this username and {@code password} (written to a file); null: no AUTH
     */
    public record EmailReceiver(String to, String from, int smtpPort, Path caFile, String username,
            String password) {
        public EmailReceiver {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(from, "from");
        }
    }

    /**
     * @param webhookUrl     where the webhook receiver posts (e.g. {@code http://127.0.0.1:8080/webhooks/alertmanager});
     *                       null: no webhook receiver
     * @param email          the e-mail receiver; null: none
     * @param groupWait      route {@code group_wait}: how long a new group is held before its first notification
     * @param groupInterval  route {@code group_interval}: minimum time between notifications of a changed group
     * @param repeatInterval route {@code repeat_interval}: an unchanged firing group is re-sent after this long
     * @param groupBy        route {@code group_by}
     */
    public record Config(URI webhookUrl, Auth auth, EmailReceiver email, Duration groupWait,
            Duration groupInterval, Duration repeatInterval, List<String> groupBy) {
        public Config {
            Objects.requireNonNull(auth, "auth");
            if (webhookUrl == null && email == null) {
                throw new IllegalArgumentException("Alertmanager needs a webhook or an e-mail receiver");
            }
            groupBy = List.copyOf(groupBy);
        }

        /** group_wait 1s, group_interval 1s, repeat_interval 1h (no repeats within a test), group by alertname + service. */
        public static Config of(URI webhookUrl, Auth auth) {
            return new Config(webhookUrl, auth, null, Duration.ofSeconds(1), Duration.ofSeconds(1),
                    Duration.ofHours(1), List.of("alertname", "service"));
        }

        /** Only an e-mail receiver; the same timing as {@link #of}, grouped by every label (one mail per alert). */
        public static Config email(EmailReceiver email) {
            return new Config(null, new Auth.None(), email, Duration.ofSeconds(1), Duration.ofSeconds(1),
                    Duration.ofHours(1), List.of("..."));
        }

        public Config withGroupWait(Duration d) {
            return new Config(webhookUrl, auth, email, d, groupInterval, repeatInterval, groupBy);
        }

        public Config withGroupInterval(Duration d) {
            return new Config(webhookUrl, auth, email, groupWait, d, repeatInterval, groupBy);
        }

        public Config withRepeatInterval(Duration d) {
            return new Config(webhookUrl, auth, email, groupWait, groupInterval, d, groupBy);
        }

        public Config withEmail(EmailReceiver e) {
            return new Config(webhookUrl, auth, e, groupWait, groupInterval, repeatInterval, groupBy);
        }
    }

    private final Config config;
    private final String binary;
    private final Path dir;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** startsAt of the currently firing instance of each label set, so repeats of one alert are the same alert. */
    private final Map<Map<String, String>, Instant> firingSince = new ConcurrentHashMap<>();
    private volatile String finalLog;

    private AlertmanagerProcess(Config config, String binary, Path dir, int port) {
        super("Alertmanager", dir.resolve("alertmanager.log"), READY_TIMEOUT);
        this.config = config;
        this.binary = binary;
        this.dir = dir;
        this.port = port;
    }

    /** Writes the configuration, starts Alertmanager and waits until it is ready (or fails with its log). */
    public static AlertmanagerProcess start(Config config) {
        String binary = binary();
        // A free port can be taken between the probe and the bind; try a few times when that is what happened.
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            Path dir;
            try {
                dir = Files.createTempDirectory("roma-dr-alertmanager-");
                writeConfig(config, dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the Alertmanager configuration", e);
            }
            AlertmanagerProcess am = new AlertmanagerProcess(config, binary, dir, freePort());
            try {
                am.launch();
                return am;
            } catch (IllegalStateException e) {
                last = e;
                if (!e.getMessage().contains("address already in use")) {
                    break;
                }
            }
        }
        throw last;
    }

    @Override
    protected List<String> command() {
        return List.of(binary,
                "--config.file=" + dir.resolve("alertmanager.yml"),
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.external-url=http://127.0.0.1:" + port + "/",
                "--cluster.listen-address=",
                "--log.level=debug");
    }

    @Override
    protected Optional<String> notReady() throws IOException, InterruptedException {
        return httpAnswers(uri("/-/ready"), 200);
    }

    /** The Alertmanager binary, or a failure saying how to install it. */
    public static String binary() {
        return executable("ROMA_DR_ALERTMANAGER",
                "Debian: apt-get install prometheus-alertmanager (.ci/run installs it)",
                "prometheus-alertmanager", "alertmanager");
    }

    private static void writeConfig(Config c, Path dir) throws IOException {
        Files.createDirectories(dir.resolve("data"));
        StringBuilder y = new StringBuilder();
        y.append("route:\n");
        y.append("  receiver: ").append(RECEIVER).append('\n');
        y.append("  group_by: [").append(c.groupBy().stream().map(l -> "'" + l + "'")
                .collect(Collectors.joining(", "))).append("]\n");
        y.append("  group_wait: ").append(duration(c.groupWait())).append('\n');
        y.append("  group_interval: ").append(duration(c.groupInterval())).append('\n');
        y.append("  repeat_interval: ").append(duration(c.repeatInterval())).append('\n');
        y.append("receivers:\n");
        y.append("  - name: ").append(RECEIVER).append('\n');
        if (c.email() != null) {
            emailReceiver(c.email(), dir, y);
        }
        if (c.webhookUrl() == null) {
            Files.writeString(dir.resolve("alertmanager.yml"), y.toString());
            return;
        }
        y.append("    webhook_configs:\n");
        y.append("      - url: '").append(c.webhookUrl()).append("'\n");
        y.append("        send_resolved: true\n");
        y.append("        http_config:\n");
        y.append("          follow_redirects: false\n");
        if (c.auth() instanceof Auth.Bearer b) {
            Path token = secretFile(dir.resolve("token"), b.token());
            y.append("          authorization:\n");
            y.append("            type: Bearer\n");
            y.append("            credentials_file: '").append(token).append("'\n");
        } else if (c.auth() instanceof Auth.Basic b) {
            Path password = secretFile(dir.resolve("password"), b.password());
            y.append("          basic_auth:\n");
            y.append("            username: '").append(b.username().replace("'", "''")).append("'\n");
            y.append("            password_file: '").append(password).append("'\n");
        }
        Files.writeString(dir.resolve("alertmanager.yml"), y.toString());
    }

    private static void emailReceiver(EmailReceiver e, Path dir, StringBuilder y) throws IOException {
        y.append("    email_configs:\n");
        y.append("      - to: '").append(e.to()).append("'\n");
        y.append("        from: '").append(e.from()).append("'\n");
        y.append("        smarthost: '127.0.0.1:").append(e.smtpPort()).append("'\n");
        y.append("        hello: 'localhost'\n");
        y.append("        send_resolved: true\n");
        y.append("        require_tls: ").append(e.caFile() != null).append('\n');
        if (e.caFile() != null) {
            y.append("        tls_config:\n");
            y.append("          ca_file: '").append(e.caFile()).append("'\n");
            y.append("          server_name: '127.0.0.1'\n");
        }
        if (e.username() != null) {
            Path password = secretFile(dir.resolve("smtp-password"), e.password());
            y.append("        auth_username: '").append(e.username().replace("'", "''")).append("'\n");
            y.append("        auth_password_file: '").append(password).append("'\n");
        }
    }

    private static Path secretFile(Path file, String secret) throws IOException {
        Files.writeString(file, secret);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system; the temp directory is the only protection then
        }
        return file;
    }

    /** Alertmanager's duration syntax: whole seconds as {@code Ns}, else milliseconds as {@code Nms}. */
    public static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms <= 0) {
            return "0s";
        }
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    public int port() {
        return port;
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Config config() {
        return config;
    }

    /** The configuration file as written (secrets are in separate files, not in it). */
    public String configYaml() {
        try {
            return Files.readString(dir.resolve("alertmanager.yml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /**
     * Posts one alert with {@code POST /api/v2/alerts}. Repeated firing posts of one label set carry the same
     * {@code startsAt} (they are the same alert to Alertmanager); a resolved post ends that instance now, and the
     * next firing post starts a new instance (same fingerprint: the fingerprint is a hash of the labels).
     *
     * @return the instant sent as {@code endsAt} for a resolved alert, else the {@code startsAt}
     */
    public Instant postAlert(Map<String, String> labels, Map<String, String> annotations, State state) {
        Map<String, String> key = new TreeMap<>(labels);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ObjectNode alert = JSON.createObjectNode();
        alert.set("labels", JSON.valueToTree(key));
        alert.set("annotations", JSON.valueToTree(new TreeMap<>(annotations)));
        alert.put("generatorURL", "http://127.0.0.1/roma-dr-test?alert=" + key.getOrDefault("alertname", ""));
        Instant result;
        if (state == State.FIRING) {
            Instant since = firingSince.computeIfAbsent(key, k -> now);
            alert.put("startsAt", since.toString());
            result = since;
        } else {
            Instant since = firingSince.remove(key);
            alert.put("startsAt", (since != null ? since : now.minusSeconds(1)).toString());
            alert.put("endsAt", now.toString());
            result = now;
        }
        ArrayNode body = JSON.createArrayNode().add(alert);
        post("/api/v2/alerts", body.toString());
        return result;
    }

    /** {@code GET /api/v2/alerts}: what Alertmanager holds now (with fingerprints), for assertions and messages. */
    public JsonNode alerts() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/v2/alerts"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET /api/v2/alerts: HTTP " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET /api/v2/alerts failed; Alertmanager log:\n" + logText(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void post(String path, String json) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("POST " + path + " " + json + ": HTTP " + r.statusCode() + ": "
                        + r.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + path + " failed; Alertmanager log:\n" + logText(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Alertmanager's log so far (debug level: every notification attempt and its outcome is in it); kept after close. */
    @Override
    public String logText() {
        return finalLog != null ? finalLog : super.logText();
    }

    @Override
    public void close() {
        super.close();
        finalLog = super.logText();
        deleteTree(dir);
    }
}
