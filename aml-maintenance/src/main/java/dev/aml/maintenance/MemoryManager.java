package dev.aml.maintenance;

import dev.aml.core.MemoryStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The entry point of AML: opens a memory and hands out agents, queries and maintenance operations.
 *
 * <p>SKELETON: the runtime issue (#5) fills in the builder options, {@code agent(..)} and queries;
 * the maintenance issues add {@code prune}, {@code optimize}, {@code backups}, {@code migrations},
 * {@code monitor} and {@code advise}.
 */
public final class MemoryManager implements AutoCloseable {

    private final MemoryStore store;
    private final @Nullable Path root;
    private final Clock clock;

    private MemoryManager(MemoryStore store, @Nullable Path root, Clock clock) {
        this.store = store;
        this.root = root;
        this.clock = clock;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the store this manager works on */
    public MemoryStore store() {
        return store;
    }

    /** @return the memory root on disk, when the store has one */
    public Optional<Path> root() {
        return Optional.ofNullable(root);
    }

    /** @return the clock all operations use */
    public Clock clock() {
        return clock;
    }

    /**
     * Prepares a prune: call {@link PruneOperation#dryRun()} to see what would go, or
     * {@link PruneOperation#execute()} to back up, archive and remove it.
     *
     * @param config what to prune ({@link PruneConfig#defaults()} is the reference's bare {@code prune})
     * @return the operation
     */
    public PruneOperation prune(PruneConfig config) {
        return PruneOperation.of(store, clock, config, () -> root == null ? null : backups());
    }

    /**
     * @return backups of this memory with {@link BackupConfig#defaults()}
     * @throws IllegalStateException if the memory has no root on disk
     */
    public Backups backups() {
        return backups(BackupConfig.defaults());
    }

    /**
     * @param config where and how backups are kept
     * @return backups of this memory
     * @throws IllegalStateException if the memory has no root on disk
     */
    public Backups backups(BackupConfig config) {
        return backups(config, ProgressListener.none());
    }

    /**
     * @param config where and how backups are kept
     * @param progress receives per-file progress of long operations
     * @return backups of this memory
     * @throws IllegalStateException if the memory has no root on disk
     */
    public Backups backups(BackupConfig config, ProgressListener progress) {
        return new dev.aml.maintenance.internal.backup.BackupEngine(store, requireRoot("backups"), config, clock,
                progress);
    }

    private Path requireRoot(String operation) {
        if (root == null) {
            throw new IllegalStateException(operation + " need a memory tree on disk, but " + store.describe()
                    + " has no root; build the manager on a file store");
        }
        return root;
    }

    /** Closes the store. */
    @Override
    public void close() {
        store.close();
    }

    /** Builds a {@link MemoryManager}; each option may be set once. */
    public static final class Builder {
        private @Nullable MemoryStore store;
        private @Nullable Path root;
        private @Nullable Clock clock;

        private Builder() {
        }

        /**
         * @param store the store to use
         * @return this builder
         */
        public Builder store(MemoryStore store) {
            if (this.store != null) {
                throw new IllegalStateException("store was already set to " + this.store.describe());
            }
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * @param clock the clock for every timestamp and age
         * @return this builder
         */
        public Builder clock(Clock clock) {
            if (this.clock != null) {
                throw new IllegalStateException("clock was already set to " + this.clock);
            }
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @return the manager */
        public MemoryManager build() {
            MemoryStore s = store != null ? store : MemoryStore.inMemory();
            return new MemoryManager(s, s.root().orElse(root), clock != null ? clock : Clock.systemUTC());
        }
    }
}
