package dev.aml.maintenance.internal.backup;

import dev.aml.core.AgentId;
import dev.aml.core.BackupException;
import dev.aml.core.MemoryStore;
import java.util.Set;

/**
 * What an in-place restore into a store without a memory root (PostgreSQL, in memory) may do.
 *
 * <p>Such a store holds items only, so "in place" means: every agent's items of every kind become
 * the backup's, in one {@link MemoryStore#apply} batch (one transaction on PostgreSQL, which every
 * host sees at once through its change notifications), under the maintenance lock, after a safety
 * backup. Agents the backup does not know are emptied (their items are in the safety backup). A
 * backup that holds anything the store cannot take (item files that were already unreadable when it
 * was taken, {@code global/}, {@code config/} or other non-item files of a tree's backup) is refused
 * before anything changes: restore it into a folder instead, where every file comes back.
 */
final class RootlessRestore {

    private RootlessRestore() {
    }

    /**
     * @param id the backup
     * @param store the store restored into
     * @param unreadableFiles item files of the backup that do not parse
     * @param otherFiles files of the backup that are not item files
     * @throws BackupException if either set is not empty; nothing was changed
     */
    static void requireOnlyItems(String id, MemoryStore store, Set<String> unreadableFiles, Set<String> otherFiles) {
        if (unreadableFiles.isEmpty() && otherFiles.isEmpty()) {
            return;
        }
        throw new BackupException("Cannot restore backup " + id + " in place into " + store.describe() + ": it holds "
                + (unreadableFiles.isEmpty() ? "" : "item files that do not parse (" + String.join(", ",
                        unreadableFiles) + ")" + (otherFiles.isEmpty() ? "" : " and "))
                + (otherFiles.isEmpty() ? "" : "files that are not items (" + String.join(", ", otherFiles) + ")")
                + ", which a store without a memory root cannot hold. Nothing was changed; restore it into a new"
                + " folder instead ('--target DIR'), where every file comes back.");
    }

    /**
     * @param id the backup
     * @param store the store restored into
     * @param agents agents the store cannot read
     * @param safetyId the safety backup already taken
     * @return the error: an agent the store cannot read would not be replaced cleanly; nothing was changed
     */
    static BackupException unreadable(String id, MemoryStore store, Set<AgentId> agents, String safetyId) {
        return new BackupException("Cannot restore backup " + id + " in place into " + store.describe()
                + ": the items of " + agents + " cannot be read, so they cannot be replaced safely. Nothing was"
                + " changed (the safety backup " + safetyId + " was taken); fix or delete the damaged items first.");
    }
}
