package io.romadr.worker;

import io.romadr.activities.backup.ShippedLogReader;
import io.romadr.activities.backup.ShippedLogStore;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.objectstore.ObjectStores;
import io.romadr.plan.Durations;
import io.romadr.plan.PlanException;
import io.romadr.plan.PlanRepository;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.ServiceContainer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code roma-dr logs}: the shipped production logs of a plan for a time range, read straight from the plan's backup
 * store (the lines never pass through Temporal: they may hold secrets). Runs from the worker jar, which has the
 * object-store clients; needs the store's credentials as the workers have them (e.g. AWS_* for S3).
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print a plan's shipped production logs for a time range, read from its backup store.",
                "Every object of the range is checked against its manifest's SHA-256 before any line is printed "
                        + "(a corrupted one is an error naming it). Lines are '<time> <container> <stream> <text>', "
                        + "in time order. A hole in what was shipped is told on stderr.",
                "Exits 0; 1 when a hole was found; 6 on an error (a corrupted object, an unreadable store)."})
public final class LogsCommand implements Callable<Integer> {
    @Option(names = "--plan", required = true, paramLabel = "PLAN", description = "The plan whose logs to read.")
    String plan;

    @Option(names = "--service", paramLabel = "SERVICE",
            description = "A service of the plan; repeatable (default: every service in backup.logs).")
    List<String> services = new ArrayList<>();

    @Option(names = "--since", required = true, paramLabel = "TIME",
            description = "From this time on (inclusive): 2026-12-07T14:00:00Z, or a duration ago such as 3h.")
    String since;

    @Option(names = "--until", paramLabel = "TIME",
            description = "Up to this time (exclusive), same forms (default: now).")
    String until;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the lines to FILE instead of stdout.")
    Path output;

    @Option(names = "--plans", defaultValue = "${env:ROMA_DR_PLANS:-deploy/plans}",
            description = "Directory of recovery plans (env ROMA_DR_PLANS; default ${DEFAULT-VALUE})")
    Path plansDir;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws IOException {
        Instant from = time("--since", since);
        Instant to = until == null ? clock.instant() : time("--until", until);
        if (!from.isBefore(to)) {
            throw new ParameterException(spec.commandLine(), "--since " + since + " is not before --until " + to);
        }
        RecoveryPlan loaded;
        try {
            loaded = new PlanRepository(plansDir).load(plan);
        } catch (PlanException | PlanRepository.PlanNotFoundException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (loaded.backup() == null || loaded.backup().logs() == null) {
            throw new ParameterException(spec.commandLine(), "plan " + plan + " has no backup.logs section: "
                    + "no logs are shipped for it");
        }
        List<String> known = loaded.service().containers().stream().map(ServiceContainer::service).toList();
        List<String> shipped = loaded.backup().logs().services().isEmpty()
                ? known
                : loaded.backup().logs().services();
        for (String s : services) {
            if (!shipped.contains(s)) {
                throw new ParameterException(spec.commandLine(), "service " + s + " is not shipped by plan " + plan
                        + " (shipped: " + shipped + ")");
            }
        }
        List<String> chosen = services.isEmpty() ? shipped : services;
        ShippedLogReader.Result result;
        try (ObjectStore store = ObjectStores.open(loaded.backup().store())) {
            ShippedLogReader reader = new ShippedLogReader(new ShippedLogStore(store));
            result = output == null
                    ? print(reader, chosen, from, to, new PrintWriter(new BufferedWriter(new OutputStreamWriter(
                            System.out, StandardCharsets.UTF_8))))
                    : write(reader, chosen, from, to);
        }
        spec.commandLine().getErr().println("roma-dr logs: " + result.lines() + " line(s) of " + chosen + " from "
                + result.objects() + " object(s), " + from + " to " + to
                + (output == null ? "" : ", written to " + output));
        return result.gaps().isEmpty() ? 0 : 1;
    }

    /** Into a file beside FILE first, renamed when complete: a failed read leaves no half file behind. */
    private ShippedLogReader.Result write(ShippedLogReader reader, List<String> chosen, Instant from, Instant to)
            throws IOException {
        Path absolute = output.toAbsolutePath();
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
        try (Writer w = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            ShippedLogReader.Result r = print(reader, chosen, from, to, new PrintWriter(w));
            w.close();
            Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return r;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private ShippedLogReader.Result print(ShippedLogReader reader, List<String> chosen, Instant from, Instant to,
            PrintWriter out) throws IOException {
        ShippedLogReader.Result r = reader.read(plan, chosen, from, to, line -> {
            out.write(line);
            out.write('\n');
        }, spec.commandLine().getErr()::println);
        out.flush();
        if (out.checkError()) {
            throw new UncheckedIOException(new IOException("writing the lines failed"));
        }
        return r;
    }

    private Instant time(String option, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return clock.instant().minus(Durations.parse(text));
            } catch (RuntimeException notDuration) {
                throw new ParameterException(spec.commandLine(), option + " " + text + " is neither a time such as "
                        + "2026-12-07T14:00:00Z nor a duration ago such as 3h");
            }
        }
    }
}
