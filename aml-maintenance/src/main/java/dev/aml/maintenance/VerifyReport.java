package dev.aml.maintenance;

import java.util.List;
import java.util.Objects;

/**
 * The result of verifying one backup: every file it needs (its own and those it references along
 * its chain) was decompressed and its SHA-256 recomputed; with a drill, the chain was also restored
 * into a temporary folder and every item file parsed.
 *
 * @param backupId the verified backup
 * @param chain the backups it needs, its full backup first and itself last
 * @param filesChecked files decompressed and hashed
 * @param bytesChecked uncompressed bytes hashed
 * @param drill whether a restore drill was run
 * @param itemsChecked items parsed by the drill (0 without one)
 * @param problems what is wrong, one line each; empty when the backup is good
 */
public record VerifyReport(String backupId, List<String> chain, int filesChecked, long bytesChecked, boolean drill,
        long itemsChecked, List<String> problems) {

    /** Copies the lists; rejects nulls. */
    public VerifyReport {
        Objects.requireNonNull(backupId, "backupId");
        chain = List.copyOf(chain);
        problems = List.copyOf(problems);
    }

    /** @return whether the backup is good (no problems) */
    public boolean ok() {
        return problems.isEmpty();
    }
}
