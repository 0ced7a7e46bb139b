package io.romadr.worker.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A Temporal server's two PostgreSQL databases (persistence and visibility) on the server {@code scripts/test}
 * starts ({@code ROMA_DR_POSTGRES}, {@code ROMA_DR_POSTGRES_USER}, {@code ROMA_DR_POSTGRES_PASSWORD}; defaults
 * 127.0.0.1:5432, roma_dr_test). Each test gets databases of its own (unique names), made and schema'd by Temporal's
 * own SQL tool as an operator would, and dropped at {@link #close()}.
 */
public record PostgresDatabases(String host, int port, String user, String password, String persistence,
        String visibility)
        implements
            AutoCloseable {

    public static final String PLUGIN = "postgres12";

    /** Creates {@code <prefix>_<random>} and {@code <prefix>_<random>_vis} with the server's schemas. */
    public static PostgresDatabases create(String prefix, Path workDir) throws IOException, InterruptedException {
        String address = env("ROMA_DR_POSTGRES", "127.0.0.1:5432");
        String name = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
        PostgresDatabases dbs = new PostgresDatabases(address.substring(0, address.lastIndexOf(':')),
                Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)),
                env("ROMA_DR_POSTGRES_USER", "roma_dr_test"), env("ROMA_DR_POSTGRES_PASSWORD", "roma_dr_test"),
                name, name + "_vis");
        Path schema = GoTools.temporalSchema().resolve("postgresql/v12");
        dbs.setUp(dbs.persistence, schema.resolve("temporal/versioned"), workDir);
        dbs.setUp(dbs.visibility, schema.resolve("visibility/versioned"), workDir);
        return dbs;
    }

    private void setUp(String database, Path versioned, Path workDir) throws IOException, InterruptedException {
        sqlTool(database, workDir, "create-database");
        sqlTool(database, workDir, "setup-schema", "-v", "0.0");
        sqlTool(database, workDir, "update-schema", "-d", versioned.toString());
    }

    private void sqlTool(String database, Path workDir, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(GoTools.temporalSqlTool().toString(), "--plugin", PLUGIN,
                "--ep", host, "-p", String.valueOf(port), "-u", user, "--pw", password, "--db", database));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("temporal-sql-tool " + String.join(" ", command) + " on " + database
                    + " failed (is PostgreSQL running on " + host + ":" + port + " with role " + user
                    + "? scripts/test starts it):\n" + out);
        }
    }

    /** Drops both databases (the server using them must be stopped first). */
    @Override
    public void close() throws IOException, InterruptedException {
        for (String db : List.of(persistence, visibility)) {
            sqlTool(db, Path.of(System.getProperty("java.io.tmpdir")), "drop-database", "-f");
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
