package io.romadr.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where shipped production logs live in the backup store: {@code logs/<plan>/<service>/<from>_<to>.log.gz} with
 * its manifest beside it ({@link BackupKeys#manifestKey}), written last. One object holds the lines whose
 * timestamp {@code t} is {@code from < t <= to} (epoch ms, UTC, in the key as {@code yyyyMMdd'T'HHmmss.SSS'Z'}), so
 * keys sort by time and consecutive objects meet exactly: the next object's {@code from} is this one's {@code to}.
 */
public final class LogKeys {
    public static final String ROOT = "logs/";
    public static final String EXTENSION = ".log.gz";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern NAME = Pattern.compile(
            "(\\d{8}T\\d{6}\\.\\d{3}Z)_(\\d{8}T\\d{6}\\.\\d{3}Z)" + Pattern.quote(EXTENSION));

    /** The time range of one object, epoch ms: lines with {@code from < t <= to}. */
    public record Range(long from, long to) {
    }

    private LogKeys() {
    }

    /** {@code logs/<plan>/<service>/}. */
    public static String prefix(String plan, String service) {
        return ROOT + plan + "/" + service + "/";
    }

    public static String objectKey(String plan, String service, long from, long to) {
        return prefix(plan, service) + stamp(from) + "_" + stamp(to) + EXTENSION;
    }

    /** The range an object key (or its manifest key) names; empty for any other key. */
    public static Optional<Range> range(String key) {
        String object = BackupKeys.isManifest(key) ? BackupKeys.objectKeyOf(key) : key;
        Matcher m = NAME.matcher(object.substring(object.lastIndexOf('/') + 1));
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Range(parse(m.group(1)), parse(m.group(2))));
    }

    public static String stamp(long epochMillis) {
        return STAMP.format(Instant.ofEpochMilli(epochMillis));
    }

    private static long parse(String stamp) {
        return Instant.from(STAMP.parse(stamp)).toEpochMilli();
    }
}
