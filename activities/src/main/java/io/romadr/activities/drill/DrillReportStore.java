package io.romadr.activities.drill;

import io.romadr.activities.FailureMessages;
import io.romadr.activities.digest.Sha256;
import io.romadr.activities.objectstore.ObjectInfo;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.plan.BackupStore;
import io.romadr.scenario.drill.DrillCatalog;
import io.romadr.scenario.drill.DrillReport;
import io.romadr.scenario.drill.DrillReport.SignOffRecord;
import io.romadr.scenario.drill.DrillReportFormatter;
import io.romadr.scenario.drill.DrillReportHtml;
import io.romadr.scenario.drill.DrillReportJson;
import io.romadr.scenario.drill.StoredDrillReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plan's drill reports in its backup store, each as three objects
 * {@code drills/<plan>/<date>-<scenario>-<drill id>.md|.json|.html}. Storing the same report again overwrites them
 * (idempotent); the HTML page is written last, so a report is listed only once all three are whole. The list reads
 * each report's JSON back; one that does not read is left out and named in the catalog's problem, never failing the
 * list.
 */
public final class DrillReportStore {
    static final String PREFIX = "drills/";
    /** The roles whose signatures make a drill signed off (the seed's Sign-Off). */
    static final List<String> SIGN_OFF_ROLES = List.of("operator", "observer", "manager");
    /** Room for the date, scenario and a long schedule-made workflow id, well under a file name's 255 bytes. */
    static final int MAX_NAME = 180;
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");
    private static final Logger log = LoggerFactory.getLogger(DrillReportStore.class);

    private final Function<BackupStore, ObjectStore> stores;

    /** @param stores opens the object store a plan names (the worker's {@code ObjectStores.open}) */
    public DrillReportStore(Function<BackupStore, ObjectStore> stores) {
        this.stores = stores;
    }

    /** Writes the report's Markdown, JSON and HTML (in that order) and returns what the list will show of it. */
    public StoredDrillReport store(BackupStore spec, DrillReport report) throws IOException {
        String prefix = keyPrefix(report);
        byte[] markdown = DrillReportFormatter.markdown(report).getBytes(StandardCharsets.UTF_8);
        byte[] json = DrillReportJson.toJson(report).getBytes(StandardCharsets.UTF_8);
        byte[] html = DrillReportHtml.render(report).getBytes(StandardCharsets.UTF_8);
        try (ObjectStore store = stores.apply(spec)) {
            store.put(prefix + ".md", markdown);
            store.put(prefix + ".json", json);
            store.put(prefix + ".html", html);
            return stored(report, store.location(), prefix);
        }
    }

    /** The plan's whole reports, oldest first; unreadable or incomplete ones are named in the problem. */
    public DrillCatalog list(BackupStore spec, String plan) throws IOException {
        List<StoredDrillReport> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (ObjectStore store = stores.apply(spec)) {
            List<ObjectInfo> objects = store.list(PREFIX + segment(plan) + "/");
            Set<String> keys = objects.stream().map(ObjectInfo::key).collect(Collectors.toSet());
            for (ObjectInfo info : objects) {
                if (!info.key().endsWith(".json")) {
                    continue;
                }
                String prefix = info.key().substring(0, info.key().length() - ".json".length());
                if (!keys.contains(prefix + ".html")) {
                    // Being stored right now, or a store that crashed before its retry: not whole yet.
                    problems.add(info.key() + ": no HTML page (not completely stored)");
                    continue;
                }
                try {
                    found.add(stored(read(store.read(info.key())), store.location(), prefix));
                } catch (IOException | RuntimeException e) {
                    log.warn("skipping unreadable drill report {} in {}: {}", info.key(), store.location(),
                            e.toString());
                    problems.add(info.key() + ": " + e.getMessage());
                }
            }
            found.sort(Comparator.comparingLong(StoredDrillReport::startedAt)
                    .thenComparing(StoredDrillReport::keyPrefix));
            return new DrillCatalog(plan, base(store.location()), found, problems.isEmpty()
                    ? ""
                    : FailureMessages.bounded("skipped " + problems.size() + " report(s): "
                            + String.join("; ", problems)));
        }
    }

    private static DrillReport read(byte[] json) {
        DrillReport report = DrillReportJson.fromJson(new String(json, StandardCharsets.UTF_8));
        if (report == null || blank(report.workflowId()) || blank(report.scenario()) || blank(report.plan())) {
            throw new IllegalArgumentException("not a drill report: no drill id, scenario or plan");
        }
        return report;
    }

    static StoredDrillReport stored(DrillReport r, String location, String prefix) {
        return new StoredDrillReport(r.plan(), r.scenario(), r.workflowId(), r.date(), r.startedAt(),
                Boolean.TRUE.equals(r.success()), r.rtoTargetMillis(), r.rtoActualMillis(), signedOff(r),
                base(location) + "/" + prefix + ".html", prefix);
    }

    /** The store's location without a trailing slash (a local directory's URI has one). */
    private static String base(String location) {
        return location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
    }

    /** Operator, observer and manager each signed (a name and a time). */
    static boolean signedOff(DrillReport r) {
        return SIGN_OFF_ROLES.stream().allMatch(role -> r.signOffs().stream().anyMatch(s -> s.role() != null
                && s.role().toLowerCase(Locale.ROOT).equals(role) && signed(s)));
    }

    private static boolean signed(SignOffRecord s) {
        return s.at() > 0 && !blank(s.name());
    }

    /** {@code drills/<plan>/<date>-<scenario>-<drill id>}, every part a safe key segment. */
    static String keyPrefix(DrillReport r) {
        return ObjectStore.checkKey(PREFIX + segment(r.plan()) + "/"
                + segment(r.date() + "-" + r.scenario() + "-" + r.workflowId()));
    }

    /**
     * {@code raw} as one key segment: letters, digits, {@code . _ -} kept, anything else {@code _}. A name that had
     * to change (or be shortened) ends with a digest of the original, so two drill ids never share a key.
     */
    static String segment(String raw) {
        String text = raw == null ? "" : raw;
        String safe = UNSAFE.matcher(text).replaceAll("_");
        if (safe.startsWith(".")) {
            safe = "_" + safe; // no ".", "..", nor hidden files
        }
        if (safe.equals(text) && !safe.isEmpty() && safe.length() <= MAX_NAME) {
            return safe;
        }
        String digest = Sha256.hex(text).substring(0, 12);
        return (safe.length() > MAX_NAME - 13 ? safe.substring(0, MAX_NAME - 13) : safe) + "-" + digest;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
