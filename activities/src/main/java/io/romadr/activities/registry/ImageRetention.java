package io.romadr.activities.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the newest N images per tag family in a repository. A family is the tags ending in a
 * {@code YYYYMMDD-HHMMSS} timestamp with the same prefix ({@code 20261127-011500}, {@code app-20261127-011500});
 * newest is by the timestamp in the name, not by push time. An image is deleted by manifest digest (the registry
 * drops its tags with it), so a digest still named by a kept tag or by any tag outside the families ({@code latest},
 * release versions) is never deleted.
 */
public final class ImageRetention {
    public static final int DEFAULT_KEEP = 30;
    private static final Pattern TIMESTAMPED = Pattern.compile("^(.*?)(\\d{8}-\\d{6})$");

    /** What a retention pass did: the tags deleted, and the tags kept only because their digest is still named. */
    public record RetentionReport(List<String> deletedTags, List<String> protectedTags, int deletedManifests) {
    }

    public RetentionReport apply(RegistryClient registry, String repository, int keep, Runnable heartbeat) {
        return apply(registry, repository, keep, Set.of(), heartbeat);
    }

    /**
     * As {@link #apply(RegistryClient, String, int, Runnable)}, and {@code alwaysKept} tags (a plan's deployment
     * and release tags) count as kept even when they look timestamped, so their images are never deleted.
     */
    public RetentionReport apply(RegistryClient registry, String repository, int keep, Set<String> alwaysKept,
            Runnable heartbeat) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, was " + keep);
        }
        Map<String, TreeMap<String, String>> families = new TreeMap<>(); // family -> timestamp -> tag
        List<String> others = new ArrayList<>();
        for (String tag : registry.listTags(repository)) {
            Matcher m = TIMESTAMPED.matcher(tag);
            if (m.matches() && !alwaysKept.contains(tag)) {
                families.computeIfAbsent(m.group(1), f -> new TreeMap<>(Comparator.reverseOrder()))
                        .put(m.group(2), tag);
            } else {
                others.add(tag);
            }
        }
        List<String> kept = new ArrayList<>(others);
        List<String> expired = new ArrayList<>();
        for (TreeMap<String, String> family : families.values()) {
            int i = 0;
            for (String tag : family.values()) {
                (i++ < keep ? kept : expired).add(tag);
            }
        }
        if (expired.isEmpty()) {
            return new RetentionReport(List.of(), List.of(), 0);
        }
        Set<String> keptDigests = new HashSet<>();
        for (String tag : kept) {
            registry.manifestDigest(repository, tag).ifPresent(keptDigests::add);
            heartbeat.run();
        }
        Map<String, List<String>> toDelete = new LinkedHashMap<>(); // digest -> its expired tags
        List<String> protectedTags = new ArrayList<>();
        for (String tag : expired) {
            String digest = registry.manifestDigest(repository, tag).orElse(null);
            if (digest == null) {
                continue; // gone meanwhile
            }
            if (keptDigests.contains(digest)) {
                protectedTags.add(tag);
            } else {
                toDelete.computeIfAbsent(digest, d -> new ArrayList<>()).add(tag);
            }
            heartbeat.run();
        }
        List<String> deleted = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : toDelete.entrySet()) {
            registry.deleteManifest(repository, e.getKey());
            deleted.addAll(e.getValue());
            heartbeat.run();
        }
        return new RetentionReport(deleted, protectedTags, toDelete.size());
    }
}
