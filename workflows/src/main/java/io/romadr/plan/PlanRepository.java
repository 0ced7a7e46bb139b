package io.romadr.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The plans directory of a worker host: {@code <dir>/<name>.yaml}. {@link #loadAll()} validates every plan (used at
 * start-up, so a broken plan stops the host before it takes work); {@link #load(String)} reads one plan afresh, so
 * an edited plan is picked up by the next recovery without a restart.
 */
public final class PlanRepository {
    private final Path directory;
    private final PlanLoader loader = new PlanLoader();

    public PlanRepository(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    public RecoveryPlan load(String name) {
        return loader.load(file(name));
    }

    /** The file of plan {@code name} ({@code <name>.yaml}, else {@code <name>.yml}); throws when there is none. */
    public Path file(String name) {
        if (!RecoveryPlan.NAME.matcher(name == null ? "" : name).matches()) {
            throw new PlanNotFoundException("\"" + name + "\" is not a valid plan name");
        }
        Path file = directory.resolve(name + ".yaml");
        if (!Files.isRegularFile(file)) {
            Path alt = directory.resolve(name + ".yml");
            if (!Files.isRegularFile(alt)) {
                throw new PlanNotFoundException(
                        "no plan \"" + name + "\" in " + directory + " (known: " + names() + ")");
            }
            file = alt;
        }
        return file;
    }

    /** Loads and validates every plan; throws the first problem found, in file-name order. */
    public Map<String, RecoveryPlan> loadAll() {
        Map<String, RecoveryPlan> plans = new TreeMap<>();
        for (Path file : files()) {
            RecoveryPlan plan = loader.load(file);
            plans.put(plan.name(), plan);
        }
        return plans;
    }

    /**
     * Every problem of every plan, one {@code file:line: field: problem} each (empty when all are valid): what
     * {@code check} and start-up print, so one run shows all that must be fixed.
     */
    public List<PlanException> problems() {
        List<Path> files;
        try {
            files = files();
        } catch (PlanException e) {
            return List.of(e);
        }
        List<PlanException> problems = new ArrayList<>();
        for (Path file : files) {
            try {
                loader.load(file);
            } catch (PlanException e) {
                problems.add(e);
            }
        }
        return problems;
    }

    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (Path f : files()) {
            names.add(f.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
        }
        return names;
    }

    private List<Path> files() {
        if (!Files.isDirectory(directory)) {
            throw new PlanException(directory.toString(), 0, "", "the plans directory does not exist");
        }
        try (Stream<Path> s = Files.list(directory)) {
            return s.filter(f -> f.getFileName().toString().matches("[^.].*\\.ya?ml"))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new PlanException(directory.toString(), 0, "", "cannot list the plans directory: " + e);
        }
    }

    /** No plan of that name; distinct from an invalid plan so callers can answer "unknown plan". */
    public static final class PlanNotFoundException extends RuntimeException {
        public PlanNotFoundException(String message) {
            super(message);
        }
    }
}
