package io.romadr.worker.host;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.romadr.activities.notify.NotificationSettings;
import io.romadr.temporal.TaskQueues;
import io.romadr.worker.WorkerTuning;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The worker host's YAML ({@code deploy/worker.yml} is the example). {@code ${VAR}} and {@code ${VAR:-default}}
 * are replaced from the environment. Secrets are never in this file: it names the file or environment variable
 * that holds each one ({@link SecretSource}), and nothing here prints a secret.
 */
public class RomaDrConfiguration extends Configuration {
    @JsonProperty
    private TemporalSettings temporal = TemporalSettings.DEFAULTS;
    @JsonProperty
    private Path plansDir = Path.of("deploy/plans");
    @JsonProperty
    private DockerSettings docker = new DockerSettings(null);
    @JsonProperty
    private WebhookSettings webhooks = WebhookSettings.DEFAULTS;
    @JsonProperty
    private NotificationSettings notifications = NotificationSettings.NONE;
    @JsonProperty
    private MonitoringSettings monitoring = MonitoringSettings.DEFAULTS;
    @JsonProperty
    private WorkerTuning worker = WorkerTuning.DEFAULTS;
    @JsonProperty
    private CodecSettings codec = CodecSettings.DEFAULTS;

    public TemporalSettings temporal() {
        return temporal;
    }

    public Path plansDir() {
        return plansDir;
    }

    public DockerSettings docker() {
        return docker;
    }

    public WebhookSettings webhooks() {
        return webhooks;
    }

    /** Where notices go (PagerDuty, Slack, e-mail, Alertmanager, webhooks); see docs/notifications.md. */
    public NotificationSettings notifications() {
        return notifications;
    }

    public MonitoringSettings monitoring() {
        return monitoring;
    }

    /**
     * The worker's concurrency ({@code worker:}: slots, pollers, sticky cache); a field not given keeps its default,
     * a zero or negative one stops start-up naming it. See {@link WorkerTuning} and docs/benchmarks.md.
     */
    public WorkerTuning worker() {
        return worker;
    }

    /** The codec endpoint for the Web UI and the {@code temporal} CLI (docs/security.md). */
    public CodecSettings codec() {
        return codec;
    }

    /**
     * Where the Temporal frontend is; with {@code embedded}, an in-process server on 127.0.0.1:{@code embeddedPort}
     * (0: a free port) instead of {@code address}. With {@code region} (env ROMA_DR_REGION) the worker polls that
     * region's queue {@code roma-dr-<region>} (docs/regions.md). {@code tls} and {@code apiKey}:
     * docs/temporal-connection.md.
     */
    public record TemporalSettings(String address, String namespace, String taskQueue, boolean embedded,
            int embeddedPort, String region, TemporalTlsSettings tls, NotificationSettings.SecretRef apiKey) {
        static final TemporalSettings DEFAULTS = new TemporalSettings(null, null, null, false, 0, null, null, null);

        public TemporalSettings {
            address = blankTo(address, "127.0.0.1:7233");
            namespace = blankTo(namespace, "default");
            try {
                taskQueue = TaskQueues.of(taskQueue, region);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("temporal.region: " + e.getMessage(), e);
            }
            tls = tls == null ? new TemporalTlsSettings(null, null, null, null, null) : tls;
        }

        /**
         * The connection to {@link #address()}. An {@code apiKey} that names a file or variable must resolve; with
         * none named, the Temporal CLI's {@code TEMPORAL_API_KEY_FILE} / {@code TEMPORAL_API_KEY} apply.
         */
        public io.romadr.temporal.TemporalEndpoint endpoint(Map<String, String> environment) {
            io.romadr.temporal.TemporalApiKey key;
            if (apiKey != null && apiKey.file() != null && !apiKey.file().isBlank()) {
                key = io.romadr.temporal.TemporalApiKey.fromFile(Path.of(apiKey.file().trim()));
            } else if (apiKey != null && apiKey.env() != null && !apiKey.env().isBlank()) {
                key = io.romadr.temporal.TemporalApiKey.fromEnvironment(apiKey.env().trim(), environment);
            } else {
                key = io.romadr.temporal.TemporalApiKey.fromFileOrEnvironment(null, environment);
            }
            return new io.romadr.temporal.TemporalEndpoint(address, namespace, tls.toTls(), key);
        }
    }

    /** {@code temporal.tls}: PEM files; an empty value (an unset {@code ${VAR:-}}) is "not set". */
    public record TemporalTlsSettings(String enabled, String caFile, String certFile, String keyFile,
            String serverName) {
        io.romadr.temporal.TemporalTls toTls() {
            return new io.romadr.temporal.TemporalTls(io.romadr.temporal.TemporalTls.parseEnabled(enabled),
                    path(caFile), path(certFile), path(keyFile),
                    serverName);
        }

        private static Path path(String value) {
            return value == null || value.isBlank() ? null : Path.of(value.trim());
        }
    }

    /**
     * The metric collectors (docs/monitoring.md): how often they read the backup stores and the running recoveries
     * ({@code collectInterval}, default 60 s; also once at start), and how many running recoveries one round asks
     * their progress ({@code maxQueriedRecoveries}, default 50).
     */
    public record MonitoringSettings(io.dropwizard.util.Duration collectInterval, Integer maxQueriedRecoveries) {
        static final MonitoringSettings DEFAULTS = new MonitoringSettings(null, null);

        public MonitoringSettings {
            collectInterval = collectInterval == null || collectInterval.toMilliseconds() <= 0
                    ? io.dropwizard.util.Duration.seconds(60)
                    : collectInterval;
            maxQueriedRecoveries = maxQueriedRecoveries == null || maxQueriedRecoveries < 0 ? 50 : maxQueriedRecoveries;
        }
    }

    /** The Docker engine; {@code DOCKER_HOST} or the local socket when not set. */
    public record DockerSettings(String host) {
    }

    /** {@code maxBodyBytes}: larger request bodies are refused with 413 while they are read. */
    public record WebhookSettings(Long maxBodyBytes, AlertmanagerSettings alertmanager, GenericSettings generic,
            GitPushSettings git, RegistryEventSettings registry) {
        static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
        static final WebhookSettings DEFAULTS = new WebhookSettings(null, null, null, null, null);

        public WebhookSettings {
            maxBodyBytes = maxBodyBytes == null || maxBodyBytes <= 0 ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
            alertmanager = alertmanager == null ? new AlertmanagerSettings(null, null, null) : alertmanager;
            generic = generic == null ? new GenericSettings(null, null, null, null) : generic;
            git = git == null ? new GitPushSettings(null, null) : git;
            registry = registry == null ? new RegistryEventSettings(null, null) : registry;
        }

        /** Without the backup event webhooks (git pushes, registry notifications). */
        public WebhookSettings(Long maxBodyBytes, AlertmanagerSettings alertmanager, GenericSettings generic) {
            this(maxBodyBytes, alertmanager, generic, null, null);
        }
    }

    /**
     * {@code POST /webhooks/git/...}: push events of the git forges, which start the plan's git mirror at once
     * (docs/backups.md, "Event-driven backups"). The shared secret the forge signs (or sends) with, per plan where
     * {@code plans} names one ({@code plans: {roma: {secretFile: ...}}}), and how long a delivery id or body is
     * remembered as seen ({@code replayWindow}, default 1h, at most 1d).
     */
    public record GitPushSettings(String secretFile, String secretEnv, io.dropwizard.util.Duration replayWindow,
            Map<String, PlanSecret> plans) {
        public GitPushSettings {
            replayWindow = replayWindow == null ? io.dropwizard.util.Duration.hours(1) : replayWindow;
            plans = plans == null ? Map.of() : Map.copyOf(plans);
        }

        public GitPushSettings(String secretFile, String secretEnv) {
            this(secretFile, secretEnv, null, null);
        }
    }

    /** One plan's own git push webhook secret, from a file or an environment variable. */
    public record PlanSecret(String secretFile, String secretEnv) {
    }

    /**
     * {@code POST /webhooks/registry}: the Docker distribution registry's notifications, which mirror a pushed tag at
     * once. The bearer token the registry's endpoint sends ({@code headers: Authorization}).
     */
    public record RegistryEventSettings(String bearerTokenFile, String bearerTokenEnv) {
    }

    /**
     * {@code POST /webhooks/alertmanager}: how Alertmanager authenticates (its receiver's {@code http_config}),
     * which alerts start which plan's recovery (first matching route wins), and how many alerts one payload may
     * carry ({@code maxAlerts}, default 1000; more is refused with 413).
     */
    public record AlertmanagerSettings(AlertmanagerAuth auth, List<AlertRoute> routes, Integer maxAlerts) {
        static final int DEFAULT_MAX_ALERTS = 1000;

        public AlertmanagerSettings {
            auth = auth == null ? new AlertmanagerAuth(null, null, null) : auth;
            routes = routes == null ? List.of() : List.copyOf(routes);
            maxAlerts = maxAlerts == null ? DEFAULT_MAX_ALERTS : maxAlerts;
            if (maxAlerts < 1) {
                throw new IllegalArgumentException("webhooks.alertmanager.maxAlerts: must be 1 or more, got "
                        + maxAlerts);
            }
        }
    }

    /** A bearer token, basic auth, or both (either is accepted). */
    public record AlertmanagerAuth(String bearerTokenFile, String bearerTokenEnv, BasicAuth basic) {
    }

    /** Basic auth: the user name is not a secret; the password comes from a file or an environment variable. */
    public record BasicAuth(String username, String passwordFile, String passwordEnv) {
    }

    /**
     * An alert whose labels match every matcher starts a recovery of {@code plan} (scenario {@code service-failure}
     * when not given; any of {@link io.romadr.temporal.RecoveryStarter#SCENARIOS}). A matcher value is an exact
     * value, or {@code =~regex} (matched against the whole value).
     */
    public record AlertRoute(Map<String, String> matchers, String plan, String scenario) {
        public AlertRoute {
            matchers = matchers == null ? Map.of() : Map.copyOf(matchers);
            scenario = blankTo(scenario, io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow.SCENARIO);
        }
    }

    /**
     * {@code POST /webhooks/recover}: the HMAC-SHA256 key, how old a signed timestamp may be, and whether the
     * timestamp is required (default true; without it a request has no replay protection).
     */
    public record GenericSettings(String hmacSecretFile, String hmacSecretEnv,
            io.dropwizard.util.Duration replayWindow, Boolean requireTimestamp) {
        public GenericSettings {
            replayWindow = replayWindow == null ? io.dropwizard.util.Duration.minutes(5) : replayWindow;
            requireTimestamp = requireTimestamp == null || requireTimestamp;
        }
    }

    /**
     * {@code codec:}, Temporal's remote codec protocol ({@code POST <path>/encode}, {@code <path>/decode}), served
     * when the host has payload keys. {@code path} (default {@code /codec}); {@code namespaces} a request's
     * {@code X-Namespace} must name (default: {@code temporal.namespace}); {@code allowedOrigins}, the Web UI's
     * origins ({@code https://temporal.example.com}; none: no browser may call it); {@code bearerTokens}, files or
     * environment variables each holding one accepted token (none: every request is refused); per client address a
     * token bucket of {@code burst} requests refilled at {@code requestsPerSecond}; {@code maxBodyBytes};
     * {@code jwt} (optional), the Web UI's forwarded OIDC access tokens also accepted ({@link JwtSettings}).
     */
    public record CodecSettings(String path, List<String> namespaces, List<String> allowedOrigins,
            List<NotificationSettings.SecretRef> bearerTokens, Double requestsPerSecond, Integer burst,
            Long maxBodyBytes, JwtSettings jwt) {
        private static final java.util.regex.Pattern PATH = java.util.regex.Pattern.compile("(/[A-Za-z0-9._-]+)+");
        static final CodecSettings DEFAULTS = new CodecSettings(null, null, null, null, null, null, null, null);
        static final String DEFAULT_PATH = "/codec";
        static final double DEFAULT_REQUESTS_PER_SECOND = 20;
        static final int DEFAULT_BURST = 200;
        static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;

        public CodecSettings {
            path = blankTo(path, DEFAULT_PATH);
            if (!PATH.matcher(path).matches() || path.equals("/webhooks") || path.startsWith("/webhooks/")) {
                throw new IllegalArgumentException("codec.path: must be like /codec (segments of letters, digits,"
                        + " '.', '_', '-'; not under /webhooks), got " + path);
            }
            namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
            allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
            bearerTokens = bearerTokens == null ? List.of() : List.copyOf(bearerTokens);
            requestsPerSecond = requestsPerSecond == null ? DEFAULT_REQUESTS_PER_SECOND : requestsPerSecond;
            burst = burst == null ? DEFAULT_BURST : burst;
            maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
            if (!(requestsPerSecond > 0) || burst < 1 || maxBodyBytes < 1) {
                throw new IllegalArgumentException("codec: requestsPerSecond, burst and maxBodyBytes must be more"
                        + " than zero");
            }
        }
    }

    /**
     * {@code codec.jwt:}, the OIDC access tokens (JWTs) the Web UI forwards with {@code codec.passAccessToken}:
     * signed RS256 or ES256 by a key of the IdP's JWKS ({@code jwksUrl}, or {@code jwksFile} for a copy on disk),
     * issued by {@code issuer}, for one of the {@code audience} values (one or a list), each of
     * {@code requiredClaims} holding its value (a claim that is a list must contain it), {@code exp} and {@code nbf}
     * with {@code leeway} (default 60 s) for clock skew.
     */
    public record JwtSettings(String jwksUrl, String jwksFile, String issuer,
            @com.fasterxml.jackson.annotation.JsonFormat(
                    with = com.fasterxml.jackson.annotation.JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> audience,
            Map<String, String> requiredClaims, io.dropwizard.util.Duration leeway) {
        public JwtSettings {
            jwksUrl = blankTo(jwksUrl, null);
            jwksFile = blankTo(jwksFile, null);
            if ((jwksUrl == null) == (jwksFile == null)) {
                throw new IllegalArgumentException("codec.jwt: give exactly one of jwksUrl and jwksFile (the IdP's"
                        + " JSON Web Key Set)");
            }
            if (jwksUrl != null) {
                java.net.URI uri;
                try {
                    uri = new java.net.URI(jwksUrl);
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalArgumentException("codec.jwt.jwksUrl: not a URL: " + e.getReason());
                }
                if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new IllegalArgumentException("codec.jwt.jwksUrl: must be an absolute https:// (or http://)"
                            + " URL like https://idp.example.com/.well-known/jwks.json, got " + jwksUrl);
                }
            }
            issuer = blankTo(issuer, null);
            if (issuer == null) {
                throw new IllegalArgumentException("codec.jwt.issuer: required (the IdP's issuer, the tokens' iss)");
            }
            audience = audience == null
                    ? List.of()
                    : audience.stream().filter(a -> a != null && !a.isBlank()).map(String::strip).toList();
            if (audience.isEmpty()) {
                throw new IllegalArgumentException("codec.jwt.audience: required (one value or a list; a token's aud"
                        + " must hold one of them)");
            }
            requiredClaims = requiredClaims == null ? Map.of() : Map.copyOf(requiredClaims);
            leeway = leeway == null ? io.dropwizard.util.Duration.seconds(60) : leeway;
            if (leeway.toSeconds() > 600) {
                throw new IllegalArgumentException("codec.jwt.leeway: at most 10 minutes, got " + leeway);
            }
        }
    }

    private static String blankTo(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
