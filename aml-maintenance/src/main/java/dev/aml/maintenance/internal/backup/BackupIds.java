package dev.aml.maintenance.internal.backup;

import dev.aml.maintenance.BackupType;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;

/**
 * Backup ids: {@code full_YYYYMMDD_HHMMSS} or {@code incr_YYYYMMDD_HHMMSS} in local time (Loom's
 * shape), plus {@code _NN} only when another backup of that kind started in the same second. Ids of
 * one kind sort by time.
 */
public final class BackupIds {

    /** The pattern of every id this class produces (and of Loom's ids). */
    public static final java.util.regex.Pattern ID =
            java.util.regex.Pattern.compile("(full|incr)_(\\d{8}_\\d{6})(?:_(\\d{2,4}))?");

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss", Locale.ROOT);

    private BackupIds() {
    }

    /**
     * @param type the backup type
     * @return its id prefix, {@code full} or {@code incr}
     */
    public static String prefix(BackupType type) {
        return type == BackupType.FULL ? "full" : "incr";
    }

    /**
     * @param type the backup type
     * @param start when it starts
     * @param zone the local zone of the id
     * @param taken whether an id is already used (registered or present as a folder)
     * @return the first free id for that second
     */
    public static String allocate(BackupType type, Instant start, ZoneId zone, Predicate<String> taken) {
        String base = prefix(type) + "_" + STAMP.format(LocalDateTime.ofInstant(start, zone));
        if (!taken.test(base)) {
            return base;
        }
        for (int n = 2; n < 10_000; n++) {
            String candidate = base + "_" + String.format(Locale.ROOT, "%02d", n);
            if (!taken.test(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("More than 9999 backups of one kind in the second of " + base);
    }

    /**
     * @param id a folder name
     * @return whether it has the shape of a backup id
     */
    public static boolean isId(String id) {
        return ID.matcher(id).matches();
    }

    /**
     * @param id a backup id
     * @return its type, if it is an id
     */
    public static Optional<BackupType> type(String id) {
        Matcher m = ID.matcher(id);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(m.group(1).equals("full") ? BackupType.FULL : BackupType.INCREMENTAL);
    }

    /**
     * @param id a backup id
     * @param zone the zone the id was written in
     * @return the start second encoded in the id, if it is an id
     */
    public static Optional<Instant> time(String id, ZoneId zone) {
        Matcher m = ID.matcher(id);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(m.group(2), STAMP).atZone(zone).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
