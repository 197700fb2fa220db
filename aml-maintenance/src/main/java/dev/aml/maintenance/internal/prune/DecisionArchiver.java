package dev.aml.maintenance.internal.prune;

import dev.aml.core.AgentId;
import dev.aml.core.BackupException;
import dev.aml.core.MemoryItem;
import dev.aml.loom.LoomJson;
import dev.aml.maintenance.internal.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Writes removed decisions to {@code <backup root>/archives/<agent>/<category>_YYYYMMDD_HHMMSS.json.gz}
 * (gzip level 9 of a Loom JSON array indented like the item files, the reference's layout), atomically, never over an existing
 * archive (a {@code _2}, {@code _3}… suffix keeps names unique below one second), and reads the
 * file back to check it before the caller removes anything.
 */
public final class DecisionArchiver {

    /** Category of decisions removed for their age. */
    public static final String AGED = "decisions";
    /** Category of decisions removed for a negative outcome. */
    public static final String NEGATIVE = "negative_decisions";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss", Locale.ROOT);

    private final Path archivesRoot;

    /** @param archivesRoot the {@code archives} directory of the backup root */
    public DecisionArchiver(Path archivesRoot) {
        this.archivesRoot = archivesRoot;
    }

    /**
     * @param memoryRoot the memory root {@code M}
     * @return the archiver of the reference's backup root {@code parent(M)/memory-backup/archives}
     */
    public static DecisionArchiver forMemoryRoot(Path memoryRoot) {
        Path abs = memoryRoot.toAbsolutePath().normalize();
        Path parent = abs.getParent() != null ? abs.getParent() : abs;
        return new DecisionArchiver(parent.resolve("memory-backup").resolve("archives"));
    }

    /** @return the archives directory */
    public Path root() {
        return archivesRoot;
    }

    /**
     * @param agent the agent
     * @param category {@link #AGED} or {@link #NEGATIVE}
     * @param decisions the decisions, in file order
     * @param now the time for the file name
     * @param zone the zone for the file name (the reference uses local time)
     * @return the archive written
     * @throws BackupException if it could not be written or read back; the caller must then remove nothing
     */
    public Path archive(AgentId agent, String category, List<? extends MemoryItem> decisions, Instant now,
            ZoneId zone) {
        byte[] json = LoomJson.defaults().write(decisions);
        byte[] gz = AtomicFiles.gzip(json, 9);
        Path dir = archivesRoot.resolve(agent.name());
        String stamp = STAMP.format(LocalDateTime.ofInstant(now, zone));
        try {
            for (int attempt = 1; attempt < 10_000; attempt++) {
                Path target = dir.resolve(category + "_" + stamp + (attempt == 1 ? "" : "_" + attempt) + ".json.gz");
                if (Files.exists(target)) {
                    continue;
                }
                try {
                    AtomicFiles.writeNew(target, gz);
                } catch (FileAlreadyExistsException e) {
                    continue;
                }
                byte[] back = AtomicFiles.gunzip(Files.readAllBytes(target));
                if (!Arrays.equals(back, json)) {
                    throw new IOException("the archive read back differs from what was written");
                }
                return target;
            }
            throw new IOException("no free archive name for " + category + "_" + stamp);
        } catch (IOException e) {
            throw new BackupException("Could not archive " + decisions.size() + " decision(s) of agent '" + agent
                    + "' under " + dir + ": " + e.getMessage() + ". Nothing was pruned; fix the directory's"
                    + " permissions or free disk space, then prune again.", e);
        }
    }
}
