package io.romadr.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Loads and validates YAML plans. Every problem is reported as {@code file:line: field.path: what was expected},
 * so a broken plan is fixed in one look rather than discovered in the middle of a recovery.
 */
public final class PlanLoader {
    /**
     * The largest plan file read (1 MiB; the shipped plan is 9 KiB). Checked before parsing: a bigger file is refused
     * after reading one byte past the limit, whatever its size.
     */
    public static final int MAX_BYTES = 1 << 20;

    private final ObjectMapper yaml = mapper();

    private static ObjectMapper mapper() {
        YAMLFactory factory = YAMLFactory.builder()
                .loaderOptions(loaderOptions())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        ObjectMapper m = new ObjectMapper(factory)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        // A number is written as a number and a flag as true/false: "2" for a count, 2.5 for a count, 1 or "yes"
        // for a flag are mistakes, refused rather than guessed.
        for (LogicalType number : List.of(LogicalType.Integer, LogicalType.Float)) {
            m.coercionConfigFor(number)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        return m;
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions o = new LoaderOptions();
        o.setCodePointLimit(MAX_BYTES);
        o.setNestingDepthLimit(PlanScanner.MAX_DEPTH);
        o.setMaxAliasesForCollections(0);
        o.setAllowDuplicateKeys(false);
        return o;
    }

    public RecoveryPlan load(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = readCapped(in);
        } catch (IOException e) {
            throw new PlanException(file.toString(), 0, "", "cannot read the plan: " + e.getMessage());
        }
        if (bytes == null) {
            throw new PlanException(file.toString(), 0, "", "the file is larger than " + (MAX_BYTES >> 20)
                    + " MiB, the limit for a plan (a plan is a few KiB)");
        }
        String text = utf8(file.toString(), bytes);
        RecoveryPlan plan = parse(file.toString(), text);
        String expected = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        if (!plan.name().equals(expected)) {
            throw new PlanException(file.toString(), lineOf(text, "name"), "name",
                    "the plan's name \"" + plan.name() + "\" must match its file name \"" + expected + ".yaml\"");
        }
        return plan;
    }

    /** At most {@link #MAX_BYTES} bytes of the stream, or null when it holds more: never reads past the limit + 1. */
    static byte[] readCapped(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        return bytes.length > MAX_BYTES ? null : bytes;
    }

    /** Strict UTF-8 (a leading byte-order mark is dropped); a bad byte is reported with its line. */
    static String utf8(String fileName, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(in, out, true);
        if (r.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new PlanException(fileName, line, "", String.format(
                    "not UTF-8 text (byte 0x%02x at offset %d); save the plan as UTF-8", bytes[in.position()] & 0xff,
                    in.position()));
        }
        String text = out.flip().toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    public RecoveryPlan parse(String fileName, String text) {
        if (text.length() > MAX_BYTES) {
            throw new PlanException(fileName, 0, "", "the plan is larger than the limit of " + MAX_BYTES + " bytes");
        }
        if (text.isBlank()) {
            throw new PlanException(fileName, 1, "", "the plan is empty; expected name:, service:, rto:, ...");
        }
        new PlanScanner(fileName, loaderOptions()).scan(text);
        RecoveryPlan plan;
        try {
            plan = yaml.readValue(text, RecoveryPlan.class);
        } catch (JsonMappingException e) {
            throw describe(fileName, text, e);
        } catch (JsonProcessingException e) {
            throw notYaml(fileName, e);
        }
        try {
            checkReferences(plan);
        } catch (InvalidFieldException e) {
            throw new PlanException(fileName, lineOf(text, e.field()), e.field(), e.getMessage());
        }
        return plan;
    }

    /**
     * Fields that name another part of the plan must name one that exists. Checked here, when a plan is loaded, not
     * in the records: a plan already recorded in a workflow's history must keep deserializing as it was.
     */
    static void checkReferences(RecoveryPlan plan) {
        List<String> containers = plan.service().serviceNames();
        BackupSpec backup = plan.backup();
        if (backup != null) {
            requireContainer(containers, backup.state() == null ? null : backup.state().service(),
                    "backup.state.service");
            requireContainer(containers, backup.artifacts() == null ? null : backup.artifacts().service(),
                    "backup.artifacts.service");
            List<String> logServices = backup.logs() == null ? List.of() : backup.logs().services();
            for (int i = 0; i < logServices.size(); i++) {
                requireContainer(containers, logServices.get(i), "backup.logs.services[" + i + "]");
            }
            checkReplica(backup, plan.regions());
            checkSecretsStore(backup);
        }
        checkContacts(plan);
        checkDrills(plan);
        checkRegions(plan);
        checkSecurity(plan);
    }

    /** The security contacts are contacts of this plan that have a channel (else they would hear nothing). */
    private static void checkSecurity(RecoveryPlan plan) {
        List<String> ids = plan.contacts().stream().map(ContactSpec::id).toList();
        List<String> named = plan.security().contacts();
        for (int i = 0; i < named.size(); i++) {
            String id = named.get(i);
            InvalidFieldException.require(ids.contains(id), "security.contacts[" + i + "]",
                    shown(id) + " is not a contact of this plan; expected one of " + ids);
            ContactSpec contact = plan.contacts().get(ids.indexOf(id));
            InvalidFieldException.require(!contact.channels().targets().isEmpty(), "security.contacts[" + i + "]",
                    "contact " + shown(id) + " has no channels, so it would hear nothing of an incident");
        }
    }

    /**
     * A region outage (docs/regions.md) needs all three: {@code regions:}, where the server comes from in the failover
     * region ({@code site.failover}, in that region) and a copy of the backups there ({@code backup.replica}).
     */
    private static void checkRegions(RecoveryPlan plan) {
        RegionsSpec regions = plan.regions();
        SiteSpec.FailoverSite failover = plan.site() == null ? null : plan.site().failover();
        if (regions == null) {
            InvalidFieldException.require(failover == null, "site.failover",
                    "names a failover site but the plan has no regions: {primary, failover} section");
            return;
        }
        InvalidFieldException.require(failover != null, "site.failover", "is required when regions.failover is set ("
                + regions.failover() + "): where Scenario 3 gets its server in that region, e.g. "
                + "failover: {aws: {region: " + regions.failover() + ", ami: ...}}");
        InvalidFieldException.require(failover.aws() == null || failover.aws().region().equals(regions.failover()),
                "site.failover.aws.region", "is \"" + (failover.aws() == null ? "" : failover.aws().region())
                        + "\" but regions.failover is \"" + regions.failover()
                        + "\"; the failover server must be in the failover region");
        InvalidFieldException.require(plan.backup() != null && plan.backup().replica() != null, "backup.replica",
                "is required when regions.failover is set: a region outage restores from a copy of the backups in "
                        + regions.failover() + ", e.g. replica: {store: {uri: s3://bucket-in-" + regions.failover()
                        + ", region: " + regions.failover() + "}}");
    }

    /**
     * A replica is a second copy somewhere else: not the primary store itself, and (when the plan names its regions)
     * in the failover region, where Scenario 3 restores from it after a region outage. Likewise a git backup remote
     * or the backup registry that names a region names a region of the plan.
     */
    private static void checkReplica(BackupSpec backup, RegionsSpec regions) {
        ReplicaSpec replica = backup.replica();
        if (replica != null) {
            BackupStore primary = backup.store();
            BackupStore copy = replica.store();
            InvalidFieldException.require(!sameStore(primary, copy), "backup.replica.store.uri",
                    "is the primary store (" + primary.uri() + "); a replica must be another store, in the failover"
                            + " region");
            InvalidFieldException.require(regions == null || regions.failover().equals(copy.region()),
                    "backup.replica.store.region", "is " + copy.region() + " but regions.failover is "
                            + (regions == null ? "" : regions.failover())
                            + "; the replica must be in the failover region");
        }
        if (regions == null) {
            return;
        }
        if (backup.git() != null) {
            List<GitRemote> remotes = backup.git().backups();
            for (int i = 0; i < remotes.size(); i++) {
                requireRegionOf(regions, remotes.get(i).region(), "backup.git.backups[" + i + "].region");
            }
        }
        if (backup.images() != null) {
            requireRegionOf(regions, backup.images().backup().region(), "backup.images.backup.region");
        }
    }

    /** The secrets' own store is the seed's "separate secure bucket": another store than the main one. */
    private static void checkSecretsStore(BackupSpec backup) {
        if (backup.secrets() == null || backup.secrets().store() == null) {
            return;
        }
        InvalidFieldException.require(!sameStore(backup.store(), backup.secrets().store()),
                "backup.secrets.store.uri", "is the main backup store (" + backup.store().uri()
                        + "); the secrets' own store must be another bucket or directory (or leave store: out)");
    }

    private static boolean sameStore(BackupStore a, BackupStore b) {
        return trimSlash(a.uri()).equals(trimSlash(b.uri()))
                && java.util.Objects.equals(a.endpoint() == null ? null : trimSlash(a.endpoint()),
                        b.endpoint() == null ? null : trimSlash(b.endpoint()));
    }

    private static String trimSlash(String s) {
        return s.replaceAll("/+$", "");
    }

    private static void requireRegionOf(RegionsSpec regions, String region, String field) {
        InvalidFieldException.require(region == null || region.equals(regions.primary())
                || region.equals(regions.failover()), field,
                "is " + region + ", neither regions.primary ("
                        + regions.primary() + ") nor regions.failover (" + regions.failover() + ")");
    }

    /**
     * Each drill's cron expression is in the subset {@link CronExpression} reads and its time zone is an IANA zone.
     * Checked at load, not in the record: what a JDK's zone database or the cron subset accepts may change, and a
     * plan recorded in a history must keep deserializing.
     */
    private static void checkDrills(RecoveryPlan plan) {
        for (Map.Entry<String, DrillCalendarEntry> e : plan.drills().byScenario().entrySet()) {
            String at = "drills." + e.getKey();
            try {
                CronExpression.parse(e.getValue().schedule());
            } catch (IllegalArgumentException bad) {
                throw new InvalidFieldException(at + ".schedule", bad.getMessage());
            }
            String zone = e.getValue().timeZone();
            InvalidFieldException.require(java.time.ZoneId.getAvailableZoneIds().contains(zone), at + ".timeZone",
                    "unknown time zone \"" + zone + "\"; expected an IANA zone such as UTC or Europe/Berlin");
        }
    }

    /**
     * Contact ids are unique; every route names known events, channels and scenarios and existing contacts, each of
     * which it can reach through at least one of its channels (a route that would send nothing is a mistake found
     * now, not during an incident).
     */
    private static void checkContacts(RecoveryPlan plan) {
        Map<String, ContactSpec> contacts = new LinkedHashMap<>();
        for (int i = 0; i < plan.contacts().size(); i++) {
            ContactSpec c = plan.contacts().get(i);
            ContactSpec first = contacts.putIfAbsent(c.id(), c);
            if (first != null) {
                throw new InvalidFieldException("contacts[" + i + "].id", "\"" + c.id() + "\" is already the id of "
                        + "contacts[" + plan.contacts().indexOf(first) + "]; contact ids must be unique");
            }
        }
        List<String> scopes = new ArrayList<>(NotifyNames.SCENARIOS);
        scopes.addAll(NotifyNames.BACKUP_KINDS);
        List<NotifyRoute> routes = plan.notifications().routes();
        for (int r = 0; r < routes.size(); r++) {
            NotifyRoute route = routes.get(r);
            String at = "notify.routes[" + r + "]";
            InvalidFieldException.require(!contacts.isEmpty(), at + ".to",
                    "the plan has no contacts: section; define the contacts this route names under contacts:");
            requireKnown(route.events(), NotifyNames.EVENTS, at + ".events", "event");
            requireKnown(route.via(), NotifyNames.CHANNELS, at + ".via", "channel");
            requireKnown(route.scenarios(), scopes, at + ".scenarios", "scenario or backup kind");
            for (int t = 0; t < route.to().size(); t++) {
                String id = route.to().get(t);
                ContactSpec contact = contacts.get(id);
                InvalidFieldException.require(contact != null, at + ".to[" + t + "]",
                        shown(id) + " is not a contact of this plan; expected one of " + contacts.keySet());
                List<String> has = contact.channels().channelIds();
                InvalidFieldException.require(has.stream().anyMatch(
                        ch -> route.via().isEmpty() || route.via().contains(ch)), at + ".to[" + t + "]",
                        "contact \"" + id + "\" has " + (has.isEmpty() ? "no channels" : "only " + has)
                                + (route.via().isEmpty() ? "" : ", none of via " + route.via())
                                + ", so this route would send it nothing; "
                                + (route.via().isEmpty()
                                        ? "give the contact a channel"
                                        : "give the contact one of those channels or change via"));
            }
        }
    }

    private static void requireKnown(List<String> values, List<String> known, String field, String what) {
        for (int i = 0; i < values.size(); i++) {
            InvalidFieldException.require(known.contains(values.get(i)), field + "[" + i + "]",
                    "unknown " + what + " " + shown(values.get(i)) + "; expected one of " + known);
        }
    }

    /** A mistyped id, quoted; anything else (a URL or key pasted in the wrong field) is not repeated. */
    private static String shown(String value) {
        return ContactChannels.isName(value) ? "\"" + value + "\"" : "(a value that is not an id, not repeated here)";
    }

    private static void requireContainer(List<String> containers, String name, String field) {
        InvalidFieldException.require(name == null || containers.contains(name), field,
                "\"" + name + "\" is not a container of this plan; expected one of " + containers);
    }

    private static PlanException notYaml(String fileName, JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String message = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
        return new PlanException(fileName, loc == null ? 0 : loc.getLineNr(), "",
                "not valid YAML: " + message.lines().findFirst().orElse(""));
    }

    private PlanException describe(String fileName, String text, JsonMappingException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining())
                .replaceFirst("^\\.", "");
        String problem = e.getOriginalMessage();
        Throwable cause = e.getCause();
        if (e instanceof ValueInstantiationException && cause instanceof InvalidFieldException f) {
            path = path.isEmpty() ? f.field() : path + "." + f.field();
            problem = f.getMessage();
        } else if (e instanceof UnrecognizedPropertyException u) {
            problem = "unknown field \"" + u.getPropertyName() + "\"; known fields here: "
                    + u.getKnownPropertyIds();
        } else if (problem != null && problem.startsWith("Missing required creator property")) {
            String field = problem.replaceFirst("Missing required creator property '([^']*)'.*", "$1");
            String full = path.isEmpty() || path.equals(field) || path.endsWith("." + field)
                    ? path
                    : path + "." + field;
            full = full.isEmpty() ? field : full;
            String parent = full.contains(".") ? full.substring(0, full.lastIndexOf('.')) : "";
            return new PlanException(fileName, parent.isEmpty() ? 1 : lineOf(text, parent), full,
                    "is required but missing");
        } else if (cause instanceof IllegalArgumentException iae && cause.getMessage() != null) {
            problem = iae.getMessage();
        } else if (e instanceof MismatchedInputException m && expected(m.getTargetType()) != null) {
            problem = expected(m.getTargetType()) + got(problem);
        } else if (problem != null && problem.matches("(?s)(Numeric value|Malformed numeric value).*")) {
            problem = "expected a whole number" + got(problem);
        }
        int line = lineOf(text, path);
        if (line <= 0 && e.getLocation() != null) {
            line = e.getLocation().getLineNr();
        }
        return new PlanException(fileName, line, path, problem);
    }

    /** What a field of this type takes, in the plan's words; null for types whose own message says it. */
    private static String expected(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "expected a whole number, written without quotes";
        }
        if (type == Double.class || type == double.class) {
            return "expected a number, written without quotes";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "expected true or false, written without quotes";
        }
        if (type == String.class) {
            return "expected a single value";
        }
        if (type != null && (List.class.isAssignableFrom(type))) {
            return "expected a list";
        }
        if (type != null && (Map.class.isAssignableFrom(type) || type.isRecord())) {
            return "expected a mapping of fields";
        }
        return null;
    }

    /** ", got X" from one of Jackson's messages, which quote the offending value in one of a few ways. */
    private static String got(String jacksonMessage) {
        if (jacksonMessage == null) {
            return "";
        }
        Matcher m = GOT.matcher(jacksonMessage);
        if (!m.find()) {
            return "";
        }
        String value = m.group(1) != null
                ? m.group(1)
                : m.group(2) != null
                        ? m.group(2)
                        : switch (m.group(3)) {
                            case "Array" -> "a list";
                            case "Object" -> "a mapping";
                            case "Floating-point" -> "a fractional number";
                            case "Integer" -> "a whole number";
                            case "String" -> "a text";
                            default -> "a boolean";
                        };
        return ", got " + (value.length() > 60 ? value.substring(0, 60) + "..." : value);
    }

    private static final Pattern GOT = Pattern.compile(
            "value \\((.*?)\\)(?: to| out)|value '(.*?)'"
                    + "|from (Boolean|Array|Object|String|Integer|Floating-point) value");

    /**
     * The line where a dotted field path (e.g. {@code service.healthChecks[0].http.url}) starts, or the line of its
     * nearest parent that exists; 0 when not even the first segment is found.
     */
    int lineOf(String text, String path) {
        try (JsonParser p = yaml.getFactory().createParser(text)) {
            if (p.nextToken() == null) {
                return 0;
            }
            int[] best = {0};
            Integer found = walk(p, "", path, best, p.currentTokenLocation().getLineNr());
            return found != null ? found : best[0];
        } catch (IOException e) {
            return 0;
        }
    }

    /** Walks the value the parser stands on; {@code here} is that value's path, {@code line} where its key is. */
    private static Integer walk(JsonParser p, String here, String target, int[] best, int line) throws IOException {
        if (!here.isEmpty()) {
            if (here.equals(target)) {
                return line;
            }
            if (target.startsWith(here + ".") || target.startsWith(here + "[")) {
                best[0] = line;
            }
        }
        if (p.currentToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String child = here.isEmpty() ? p.currentName() : here + "." + p.currentName();
                int childLine = p.currentTokenLocation().getLineNr();
                p.nextToken();
                Integer r = walk(p, child, target, best, childLine);
                if (r != null) {
                    return r;
                }
            }
        } else if (p.currentToken() == JsonToken.START_ARRAY) {
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                Integer r = walk(p, here + "[" + i++ + "]", target, best, p.currentTokenLocation().getLineNr());
                if (r != null) {
                    return r;
                }
            }
        }
        return null;
    }
}
