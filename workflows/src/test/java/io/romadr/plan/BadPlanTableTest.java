package io.romadr.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad plans of every class, each written to a real file and loaded by the real loader: the message must be exactly
 * {@code file:line: field: ...} with the line and field of the mistake, in every form YAML allows (block and flow,
 * quoted and unquoted).
 */
class BadPlanTableTest {
    /** A valid plan touching the fields the cases break; line numbers below refer to it. */
    static final String BASE = """
            name: demo
            service:
              composeProject: demo
              containers:
                - service: web
                  template:
                    image: "nginx:1"
                    ports: ["127.0.0.1:8080:80"]
                    env: {LOG_LEVEL: info, DB_PASSWORD: {fromEnv: ROMA_DB_PASSWORD}}
              healthChecks:
                - name: web-http
                  http: { url: "http://127.0.0.1:8080/health", timeout: 5s }
              logTailLines: 100
            rto:
              service: 15m
            recovery:
              maxRelapses: 2
              waitHealthy: 60s
            backup:
              store: { uri: "file:///tmp/b", pathStyle: false }
              state: { service: web, path: /data }
              images:
                primary: { url: "http://127.0.0.1:5000" }
                backup: { url: "http://127.0.0.1:5001" }
                repositories: [web]
                keepPerFamily: 3
              schedule: { state: 1h }
              artifacts:
                service: web
                path: /out
            """;

    @TempDir
    Path dir;

    private final PlanLoader loader = new PlanLoader();

    @Test
    void theBaseIsValid() throws IOException {
        RecoveryPlan plan = loader.load(write(BASE));
        assertEquals(EnvValue.literal("info"), plan.service().containers().get(0).template().env().get("LOG_LEVEL"));
        assertEquals("ROMA_DB_PASSWORD",
                plan.service().containers().get(0).template().env().get("DB_PASSWORD").fromEnv());
    }

    /** (what, replaced text, replacement, line, field, part of the message). */
    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        String rto = "rto.service";
        // durations: negative, zero, nonsense, wrong type, overflow; every scalar form
        for (String v : List.of("-900", "'-900'", "\"-15m\"", "-15m", "PT-5S", "-0.5", "\"-1s\"")) {
            c.add(replace("negative rto " + v, "  service: 15m", "  service: " + v, 15, rto, "negative"));
        }
        for (String v : List.of("0", "0s", "'0'", "0.0", "PT0S", "0ms")) {
            c.add(replace("zero rto " + v, "  service: 15m", "  service: " + v, 15, rto, "zero"));
        }
        for (String v : List.of("soon", "15 minutes", "1h-5m", ".inf", "-.inf", ".nan", "true", "no", "[15m]",
                "{m: 15}", "99999d", "1e400", "99999999999999999999999s", "\"\"", "15M5")) {
            c.add(replace("bad rto " + v, "  service: 15m", "  service: " + v, 15, rto, "expected"));
        }
        String timeout = "service.healthChecks[0].http.timeout";
        for (String v : List.of("-5", "0", "\"-5s\"", "false", "-1ms", "'0s'")) {
            c.add(replace("http timeout " + v, "timeout: 5s }", "timeout: " + v + " }", 12, timeout, ""));
        }
        for (String v : List.of("-1h", "30s", "0", "-60")) {
            c.add(replace("schedule " + v, "schedule: { state: 1h }", "schedule: { state: " + v + " }", 27,
                    "backup.schedule.state", ""));
        }
        c.add(replace("waitHealthy -1", "waitHealthy: 60s", "waitHealthy: -1", 18, "recovery.waitHealthy",
                "negative"));
        // port numbers
        for (String v : List.of("127.0.0.1:0:80", "127.0.0.1:8080:70000", "99999:80", "8080:0", "65536:80",
                "8080", "a:b", "8080:80/sctp")) {
            c.add(replace("port " + v, "ports: [\"127.0.0.1:8080:80\"]", "ports: [\"" + v + "\"]", 8,
                    "service.containers[0].template.ports", v));
        }
        c.add(replace("port as a number", "ports: [\"127.0.0.1:8080:80\"]", "ports: [8080]", 8,
                "service.containers[0].template.ports", "8080"));
        // counts: fractional, quoted, boolean, negative, out of range
        for (String v : List.of("1.5", "\"100\"", "true", "-1", "99999999999", "1e3", "'1.5'", ".inf", "[]")) {
            c.add(replace("logTailLines " + v, "logTailLines: 100", "logTailLines: " + v, 13,
                    "service.logTailLines", ""));
        }
        for (String v : List.of("2.5", "\"2\"", "false", "-1", "21")) {
            c.add(replace("maxRelapses " + v, "maxRelapses: 2", "maxRelapses: " + v, 17, "recovery.maxRelapses",
                    ""));
        }
        for (String v : List.of("0", "1.5", "-3", "yes")) {
            c.add(replace("keepPerFamily " + v, "keepPerFamily: 3", "keepPerFamily: " + v, 26,
                    "backup.images.keepPerFamily", ""));
        }
        // booleans where a flag is expected
        for (String v : List.of("1", "0", "\"yes\"", "\"true\"", "2.0", "maybe", "[true]")) {
            c.add(replace("pathStyle " + v, "pathStyle: false }", "pathStyle: " + v + " }", 20,
                    "backup.store.pathStyle", ""));
        }
        // duplicate keys, at every level and in flow style
        c.add(append("duplicate top-level key", "name: other\n", 31, "name", "twice"));
        c.add(replace("duplicate nested key", "  service: 15m", "  service: 15m\n  service: 10m", 16, rto,
                "twice"));
        c.add(replace("duplicate flow key", "{ state: 1h }", "{ state: 1h, state: 2h }", 27,
                "backup.schedule.state", "twice"));
        c.add(replace("duplicate env key", "{LOG_LEVEL: info,", "{LOG_LEVEL: info, LOG_LEVEL: debug,", 9,
                "service.containers[0].template.env.LOG_LEVEL", "twice"));
        // anchors, aliases and merge keys
        c.add(replace("anchor", "image: \"nginx:1\"", "image: &img \"nginx:1\"", 7,
                "service.containers[0].template.image", "anchors"));
        c.add(replace("alias", "  service: 15m", "  service: *x", 15, rto, "anchors"));
        c.add(replace("merge key", "  service: 15m", "  <<: *base", 15, "rto.<<", "anchors"));
        // references that point nowhere
        c.add(replace("state service not a container", "state: { service: web,", "state: { service: db,", 21,
                "backup.state.service", "not a container"));
        c.add(replace("artifacts service not a container", "    service: web\n    path: /out",
                "    service: worker\n    path: /out", 29, "backup.artifacts.service", "not a container"));
        // secrets written into the plan
        for (String name : List.of("DB_PASSWORD", "API_TOKEN", "aws_secret_access_key", "SSH_KEY", "MY_CREDENTIALS")) {
            c.add(replace("secret literal " + name, "DB_PASSWORD: {fromEnv: ROMA_DB_PASSWORD}", name + ": hunter2",
                    9, "service.containers[0].template.env." + name, "fromEnv"));
        }
        c.add(replace("secret literal as a number", "DB_PASSWORD: {fromEnv: ROMA_DB_PASSWORD}",
                "DB_PASSWORD: 12345678", 9, "service.containers[0].template.env.DB_PASSWORD", "fromEnv"));
        c.add(replace("secret long form", "DB_PASSWORD: {fromEnv: ROMA_DB_PASSWORD}",
                "DB_PASSWORD: {value: hunter2}", 9, "service.containers[0].template.env.DB_PASSWORD.value",
                "fromEnv"));
        for (String token : List.of("ghp_0123456789abcdefghijABCDEFGHIJ0123", "AKIAABCDEFGHIJKLMNOP",
                "xoxb-1234567890-abcdefghij", "9fK2mQ7xLp4Rt8Zw1Yb6Nc3Vd5", "-----BEGIN RSA PRIVATE KEY-----")) {
            c.add(replace("token literal " + token.substring(0, 6), "LOG_LEVEL: info",
                    "LOG_LEVEL: \"" + token + "\"", 9,
                    "service.containers[0].template.env.LOG_LEVEL", "token"));
        }
        c.add(replace("password in a check url", "http://127.0.0.1:8080/health",
                "http://admin:hunter2@127.0.0.1:8080/h",
                12, "service.healthChecks[0].http.url", "password"));
        c.add(replace("password in the store endpoint", "uri: \"file:///tmp/b\"",
                "uri: \"s3://b\", endpoint: \"http://k:s@127.0.0.1:9000\"", 20, "backup.store.endpoint",
                "password"));
        String step = "  logTailLines: 100";
        c.add(replace("token in a command", step, step + "\n  rebuild:\n    - { name: fetch, command: [curl, -H, "
                + "\"Authorization: Bearer 9fK2mQ7xLp4Rt8Zw1Yb6Nc3Vd5\", http://x] }", 15,
                "service.rebuild[0].command[2]", "token"));
        c.add(replace("secret literal in a command step's env", step, step + "\n  rebuild:\n    - name: fetch\n"
                + "      command: [make]\n      env:\n        REGISTRY_TOKEN: hunter2", 18,
                "service.rebuild[0].env.REGISTRY_TOKEN", "fromEnv"));
        c.add(replace("password in a git remote url", "    path: /out", "    path: /out\n  git:\n"
                + "    primary: { name: origin, url: \"https://bob:hunter2@git.example/roma.git\" }\n"
                + "    backups: [{ name: b, url: \"file:///srv/b.git\" }]", 32, "backup.git.primary.url", "password"));
        c.add(replace("private key in the description", "name: demo\n", "name: demo\ndescription: |\n"
                + "  -----BEGIN OPENSSH PRIVATE KEY-----\n  b3BlbnNzaC1rZXktdjEAAAAA\n", 2, "description", "key"));
        c.add(replace("fromEnv not a variable name", "{fromEnv: ROMA_DB_PASSWORD}", "{fromEnv: \"ROMA DB\"}", 9,
                "service.containers[0].template.env.DB_PASSWORD.fromEnv", "variable"));
        c.add(replace("fromFile relative", "{fromEnv: ROMA_DB_PASSWORD}", "{fromFile: secrets/db}", 9,
                "service.containers[0].template.env.DB_PASSWORD.fromFile", "absolute"));
        c.add(replace("fromEnv and fromFile", "{fromEnv: ROMA_DB_PASSWORD}", "{fromEnv: A, fromFile: /b}", 9,
                "service.containers[0].template.env.DB_PASSWORD.fromEnv", "fromFile"));
        c.add(replace("unknown env source", "{fromEnv: ROMA_DB_PASSWORD}", "{fromVault: x}", 9,
                "service.containers[0].template.env.DB_PASSWORD.fromVault", "unknown"));
        // nulls where nothing means nothing
        c.add(replace("null env value", "LOG_LEVEL: info", "LOG_LEVEL: ~", 9,
                "service.containers[0].template.env.LOG_LEVEL", "no value"));
        c.add(replace("empty env value", "LOG_LEVEL: info,", "LOG_LEVEL: ,", 9,
                "service.containers[0].template.env.LOG_LEVEL", "no value"));
        c.add(replace("null list item", "repositories: [web]", "repositories: [web, null]", 25,
                "backup.images.repositories[1]", "empty list item"));
        c.add(replace("empty block list item", "  healthChecks:\n", "  healthChecks:\n    -\n", 11,
                "service.healthChecks[0]", "empty list item"));
        // structure
        c.add(append("second document", "---\nname: other\n", 31, "", "second YAML document"));
        c.add(append("empty second document", "---\n", 31, "", "second YAML document"));
        c.add(replace("unknown field", "  service: 15m", "  service: 15m\n  servce: 10m", 16, "rto.servce",
                "unknown field"));
        return c.stream();
    }

    @Test
    void ordinaryValuesAreNotTakenForSecrets() throws IOException {
        String plan = BASE.replace("image: \"nginx:1\"", "image: \"nginx@sha256:" + "0123456789abcdef".repeat(4) + "\"")
                .replace("{LOG_LEVEL: info,", "{LOG_LEVEL: info, RUN_ID: 123e4567-e89b-12d3-a456-426614174000, "
                        + "GIT_SHA: 4b825dc642cb6eb9a060e54bf8d69288fbee4904, KEY_COUNT_LIMIT: {fromEnv: LIMIT}, "
                        + "SERVICE_URL: \"https://roma.company.com/api/v1/OnThisDay2024\", "
                        + "JAVA_OPTS: \"-Xmx512m -XX:+UseG1GC -Dfile.encoding=UTF-8\",")
                .replace("http://127.0.0.1:8080/health", "http://git@127.0.0.1:8080/health");
        RecoveryPlan p = loader.load(write(plan));
        assertEquals(7, p.service().containers().get(0).template().env().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWithFileLineAndField(String what, String plan, int line, String field, String part)
            throws IOException {
        Path file = write(plan);
        PlanException e = assertThrows(PlanException.class, () -> loader.load(file), what);
        String prefix = file + ":" + line + ": " + (field.isEmpty() ? "" : field + ": ");
        assertTrue(e.getMessage().startsWith(prefix), what + ": expected " + prefix + "... got " + e.getMessage());
        assertTrue(e.getMessage().contains(part), what + ": expected \"" + part + "\" in " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2") || e.getMessage().contains("ghp_0123"),
                "a refused secret is not repeated: " + e.getMessage());
    }

    /**
     * Generated from the shipped plan: every duration, whole number and flag it holds, in whatever style it is
     * written (block or flow, alone or among others on a line), replaced by a wrong value of each kind.
     */
    static Stream<Arguments> everyValueOfTheShippedPlan() throws IOException {
        String roma = Files.readString(PlanLoaderTest.repoRoot().resolve("deploy/plans/roma.yaml"));
        List<String> lines = roma.lines().toList();
        java.util.regex.Pattern value = java.util.regex.Pattern.compile(
                "(?<=[{\\s,])(\\w+): (\\d+(?:ms|s|m|h|d)|\\d+|true|false)(?=\\s*[,}]|\\s*(?:#.*)?$)");
        List<Arguments> cases = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int comment = lines.get(i).indexOf('#');
            java.util.regex.Matcher m = value.matcher(lines.get(i));
            while (m.find() && (comment < 0 || m.start() < comment)) {
                String v = m.group(2);
                List<String[]> wrong = v.matches("\\d+(ms|s|m|h|d)")
                        ? List.of(new String[]{"-" + v, "a duration cannot be negative"},
                                new String[]{"\"-" + v + "\"", "a duration cannot be negative"},
                                new String[]{"true", "expected a duration"},
                                new String[]{"[" + v + "]", "expected a duration"},
                                new String[]{"\"" + v + " please\"", "expected a duration"})
                        : v.matches("\\d+")
                                ? List.of(new String[]{v + ".5", "expected a whole number"},
                                        new String[]{"\"" + v + "\"", "expected a whole number"},
                                        new String[]{"false", "expected a whole number"})
                                : List.of(new String[]{"1", "expected true or false"},
                                        new String[]{"\"" + v + "\"", "expected true or false"},
                                        new String[]{"0.0", "expected true or false"});
                for (String[] w : wrong) {
                    String line = lines.get(i).substring(0, m.start(2)) + w[0] + lines.get(i).substring(m.end(2));
                    List<String> changed = new ArrayList<>(lines);
                    changed.set(i, line);
                    cases.add(Arguments.of(m.group(1) + ": " + v + " -> " + w[0] + " at line " + (i + 1),
                            String.join("\n", changed) + "\n", i + 1, m.group(1), w[1]));
                }
            }
        }
        assertTrue(cases.size() > 150, "the shipped plan has many values: " + cases.size());
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyValueOfTheShippedPlan")
    void everyValueOfTheShippedPlanIsChecked(String what, String plan, int line, String key, String part)
            throws IOException {
        Path file = dir.resolve("roma.yaml");
        Files.writeString(file, plan);
        PlanException e = assertThrows(PlanException.class, () -> loader.load(file), what);
        assertTrue(e.getMessage().startsWith(file + ":" + line + ": "), what + ": " + e.getMessage());
        assertTrue(e.field().equals(key) || e.field().endsWith("." + key), what + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(part), what + ": " + e.getMessage());
    }

    static Stream<Arguments> emptyFiles() {
        return Stream.of("", "\n\n", "---", "---\n", "# only a comment\n# and another\n", "---\n...\n", "   \n\t\n",
                "--- # comment\n", "~", "null").map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("emptyFiles")
    void anEmptyPlanIsRefusedWithItsFileName(String text) throws IOException {
        Path file = write(text);
        PlanException e = assertThrows(PlanException.class, () -> loader.load(file));
        assertTrue(e.getMessage().startsWith(file + ":1: the plan is empty"),
                e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("notMappings")
    void aPlanThatIsNotAMappingIsRefused(String text) throws IOException {
        Path file = write(text);
        PlanException e = assertThrows(PlanException.class, () -> loader.load(file));
        assertTrue(e.getMessage().startsWith(file + ":1: expected a mapping"), e.getMessage());
    }

    static Stream<Arguments> notMappings() {
        return Stream.of("- a\n- b\n", "just words", "42", "[name, demo]", "\"name: demo\"").map(Arguments::of);
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedWithTheLineOfTheBadByte() throws IOException {
        byte[] good = BASE.getBytes(StandardCharsets.UTF_8);
        int third = BASE.indexOf("composeProject");
        for (byte[] bad : List.of(new byte[]{(byte) 0xff}, new byte[]{(byte) 0xc3}, new byte[]{(byte) 0xe9, 'x'},
                new byte[]{(byte) 0xed, (byte) 0xa0, (byte) 0x80})) {
            byte[] bytes = new byte[good.length + bad.length];
            System.arraycopy(good, 0, bytes, 0, third);
            System.arraycopy(bad, 0, bytes, third, bad.length);
            System.arraycopy(good, third, bytes, third + bad.length, good.length - third);
            Path file = dir.resolve("demo.yaml");
            Files.write(file, bytes);
            PlanException e = assertThrows(PlanException.class, () -> loader.load(file));
            assertTrue(e.getMessage().startsWith(file + ":3: not UTF-8"), e.getMessage());
        }
        Path utf16 = dir.resolve("demo.yaml");
        Files.write(utf16, BASE.getBytes(StandardCharsets.UTF_16));
        PlanException e = assertThrows(PlanException.class, () -> loader.load(utf16));
        assertTrue(e.getMessage().startsWith(utf16 + ":1: not UTF-8"), e.getMessage());
    }

    @Test
    void aByteOrderMarkIsAllowed() throws IOException {
        Path file = dir.resolve("demo.yaml");
        Files.writeString(file, "\uFEFF" + BASE);
        assertEquals("demo", loader.load(file).name());
    }

    @Test
    void aFileOverTheCapIsRefusedBeforeParsingWithoutReadingPastTheCap() throws IOException {
        // a 20 MiB plan of a valid shape: refused by size, never parsed
        Path file = dir.resolve("demo.yaml");
        try (var out = Files.newBufferedWriter(file)) {
            out.write(BASE);
            out.write("description: |\n");
            String filler = "  " + "x".repeat(1000) + "\n";
            for (int i = 0; i < 20 * 1024; i++) {
                out.write(filler);
            }
        }
        PlanException e = assertThrows(PlanException.class, () -> loader.load(file));
        assertEquals(file + ": the file is larger than 1 MiB, the limit for a plan (a plan is a few KiB)",
                e.getMessage());
        // an endless stream: the loader reads exactly one byte past the cap, then stops
        long[] read = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                read[0]++;
                return 'a';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'a');
                read[0] += len;
                return len;
            }
        };
        assertEquals(null, PlanLoader.readCapped(endless));
        assertEquals(PlanLoader.MAX_BYTES + 1, read[0]);
        // just under the cap is read whole
        byte[] under = new byte[PlanLoader.MAX_BYTES];
        assertEquals(PlanLoader.MAX_BYTES, PlanLoader.readCapped(new java.io.ByteArrayInputStream(under)).length);
    }

    @Test
    void aBillionLaughsPlanIsRefusedAtItsFirstAnchor() throws IOException {
        StringBuilder bomb = new StringBuilder("name: demo\ndescription: x\n"
                + "l0: &l0 [lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            bomb.append("l").append(i).append(": &l").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                bomb.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
            }
            bomb.append("]\n");
        }
        Path file = write(bomb.toString());
        PlanException e = assertThrows(PlanException.class, () -> loader.load(file));
        assertTrue(e.getMessage().startsWith(file + ":3: l0: YAML anchors and aliases"), e.getMessage());
    }

    @Test
    void deepNestingIsRefusedWithoutExhaustingTheStack() throws IOException {
        for (String open : List.of("[", "{a: ")) {
            String close = open.equals("[") ? "]" : "}";
            String deep = "name: demo\ndescription: " + open.repeat(100_000) + "x" + close.repeat(100_000) + "\n";
            Path file = write(deep);
            PlanException e = assertThrows(PlanException.class, () -> loader.load(file));
            assertTrue(e.getMessage().startsWith(file + ":2: "), e.getMessage());
            assertTrue(e.getMessage().contains("nested deeper than"), e.getMessage());
        }
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("demo.yaml");
        Files.writeString(file, text);
        return file;
    }

    private static Arguments replace(String what, String from, String to, int line, String field, String part) {
        assertTrue(BASE.contains(from), what + ": the base has no \"" + from + "\"");
        return Arguments.of(what, BASE.replace(from, to), line, field, part);
    }

    private static Arguments append(String what, String text, int line, String field, String part) {
        return Arguments.of(what, BASE + text, line, field, part);
    }
}
