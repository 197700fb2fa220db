package dev.aml.maintenance;

import dev.aml.core.AgentId;
import dev.aml.core.Durability;
import dev.aml.core.IndexStrategy;
import dev.aml.core.Learning;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.MemoryStore;
import dev.aml.core.StoreFiles;
import dev.aml.core.StoreOptions;
import dev.aml.core.internal.QueryEngine;
import dev.aml.core.internal.SetOnce;
import dev.aml.core.relevance.Embedder;
import dev.aml.core.relevance.RelevanceConfig;
import dev.aml.core.relevance.Retrieval;
import dev.aml.core.relevance.ScoredItem;
import dev.aml.core.relevance.VectorPersistence;
import dev.aml.loom.CompressionCodec;
import dev.aml.maintenance.internal.IdGenerator;
import dev.aml.maintenance.internal.monitor.MonitorState;
import dev.aml.maintenance.monitor.Monitor;
import dev.aml.maintenance.monitor.MonitorConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of AML: opens a memory and hands out agents, queries and maintenance operations.
 *
 * <pre>{@code
 * try (MemoryManager aml = MemoryManager.builder().clock(clock).build()) {
 *     AgentMemory coder = aml.agent("coder");
 *     Pattern p = coder.patterns().record(PatternDraft.of("retry", Map.of("protocol", "http")).tags("http"));
 *     coder.patterns().recordOutcome(p.id(), Outcome.success(Duration.ofMillis(120)));
 *     List<Pattern> best = coder.patterns().query(MemoryQuery.patterns().tags("http").limit(10));
 * }
 * }</pre>
 *
 * <p>Queries go through an index ({@link IndexStrategy}) that follows every write to the store, and
 * a bounded cache that a write to an agent invalidates for that agent before the write returns, so
 * no query ever sees a result older than the last acknowledged write. Weights are evaluated at the
 * clock's current second. A manager is thread-safe.
 */
public final class MemoryManager implements AutoCloseable {

    /** Default bound of the query cache, in cached results. */
    public static final long DEFAULT_CACHE_SIZE = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(MemoryManager.class);

    private final MemoryStore store;
    private final @Nullable Path root;
    private final Clock clock;
    private final QueryEngine engine;
    private final long cacheSize;
    private final double learningRate;
    private final IdGenerator ids;
    private final BackupConfig backupConfig;
    private final Optional<String> restoreRecovery;
    private final PruneConfig pruneConfig;
    private final MonitorConfig monitorConfig;
    private final ConcurrentHashMap<AgentId, AgentMemory> agents = new ConcurrentHashMap<>();
    private final List<OutcomeListener> outcomeListeners = new CopyOnWriteArrayList<>();
    private final Relevance relevanceSettings;
    private volatile @Nullable Retrieval retrieval;

    /** How {@link #relevance()} is built when first asked for. */
    private record Relevance(RelevanceConfig config, @Nullable Embedder embedder, VectorPersistence vectors) {
    }

    /** Alerts and history of a store without a memory root, shared by this manager's monitors. */
    private final MonitorState monitorState = new MonitorState();

    private MemoryManager(MemoryStore store, @Nullable Path root, Clock clock, Executor executor, long cacheSize,
            IndexStrategy indexStrategy, double learningRate, BackupConfig backupConfig, PruneConfig pruneConfig,
            MonitorConfig monitorConfig, Relevance relevance) {
        this.store = store;
        this.backupConfig = backupConfig;
        this.pruneConfig = pruneConfig;
        this.monitorConfig = monitorConfig;
        this.root = root;
        this.clock = clock;
        this.cacheSize = cacheSize;
        this.learningRate = learningRate;
        this.ids = new IdGenerator(clock);
        this.engine = new QueryEngine(store, indexStrategy, cacheSize, executor, clock);
        this.relevanceSettings = relevance;
        this.restoreRecovery = root == null ? Optional.empty()
                : dev.aml.maintenance.internal.backup.InPlaceRestoreJournal.recover(root, store, "aml " + root)
                        .map(dev.aml.maintenance.internal.backup.InPlaceRestoreJournal.Recovery::message);
    }

    /**
     * What opening found of an in-place restore that a crash or {@code kill -9} interrupted: opening a
     * tree for writing finishes it (its items had been restored) or rolls it back (they had not), so
     * the tree is either the backup's state or the state before, never a mix; a read-only open only
     * reports it. The sentence says which and how to undo or redo it.
     *
     * @return the sentence, or empty when no restore was interrupted
     */
    public Optional<String> restoreRecovery() {
        return restoreRecovery;
    }

    /**
     * Opens the Loom memory tree at {@code memoryRoot} with every default.
     *
     * @param memoryRoot the memory root, e.g. {@code .loom/memory}
     * @return the manager
     * @throws dev.aml.core.ConcurrentOperationException if another process holds the tree
     * @throws dev.aml.core.CorruptDataException if the store's own files cannot be read
     */
    public static MemoryManager open(Path memoryRoot) {
        return builder().memoryRoot(memoryRoot).build();
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

    /** @return the backup settings {@link #backups()} and the pre-prune backup use */
    public BackupConfig backupConfig() {
        return backupConfig;
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
        return PruneOperation.of(store, clock, config, this::backups);
    }

    /**
     * @return backups of this memory with the manager's backup settings ({@link Builder#backupConfig},
     *     default {@link BackupConfig#defaults()}); they also take the pre-prune backup
     * @throws dev.aml.core.InvalidInputException if the store has no memory root and the settings name
     *     no backup root
     */
    public Backups backups() {
        return backups(backupConfig);
    }

    /**
     * @param config where and how backups are kept
     * @return backups of this memory
     * @throws dev.aml.core.InvalidInputException if the store has no memory root and {@code config}
     *     names no backup root
     */
    public Backups backups(BackupConfig config) {
        return backups(config, ProgressListener.none());
    }

    /**
     * @param config where and how backups are kept
     * @param progress receives per-file progress of long operations
     * @return backups of this memory: of the tree's files, or, for a store without a memory root
     *     (PostgreSQL, in memory), of its items as Loom files (a logical export)
     * @throws dev.aml.core.InvalidInputException if the store has no memory root and {@code config}
     *     names no backup root
     */
    public Backups backups(BackupConfig config, ProgressListener progress) {
        if (root == null) {
            return dev.aml.maintenance.internal.backup.BackupEngine.forStore(store, config, clock, progress);
        }
        return new dev.aml.maintenance.internal.backup.BackupEngine(store, root, config, clock, progress);
    }

    /**
     * @return schema migrations of this memory's tree (pre-migration backups go to the manager's backup root)
     * @throws IllegalStateException if the memory has no root on disk
     */
    public Migrations migrations() {
        return migrations(backupConfig);
    }

    /**
     * @param backupConfig where the pre-migration backup goes
     * @return schema migrations of this memory's tree
     * @throws IllegalStateException if the memory has no root on disk
     */
    public Migrations migrations(BackupConfig backupConfig) {
        Path tree = requireRoot("migrations");
        return dev.aml.maintenance.internal.migration.MigrationEngine.of(store, tree,
                new dev.aml.maintenance.internal.backup.BackupEngine(store, tree, backupConfig, clock,
                        ProgressListener.none()), clock);
    }

    private Path requireRoot(String operation) {
        if (root == null) {
            throw new IllegalStateException(operation + " need a memory tree on disk, but " + store.describe()
                    + " has no root; build the manager on a file store");
        }
        return root;
    }

    /** @return the learning rate of the confidence update */
    public double learningRate() {
        return learningRate;
    }

    /** @return the index strategy queries use */
    public IndexStrategy indexStrategy() {
        return engine.strategy();
    }

    /**
     * @param name the agent's name
     * @return the agent's memory (created on its first write)
     * @throws dev.aml.core.InvalidInputException if the name is not a valid agent name
     */
    public AgentMemory agent(String name) {
        return agent(AgentId.of(name));
    }

    /**
     * @param id the agent
     * @return the agent's memory (created on its first write)
     */
    public AgentMemory agent(AgentId id) {
        return agents.computeIfAbsent(Objects.requireNonNull(id, "id"), a -> new AgentMemory(this, a));
    }

    /**
     * Queries the memory of every agent the query names, or of all agents when it names none (the
     * global view; agents whose files cannot be read are left out of it and reported by monitoring).
     *
     * @param query the query
     * @return the results, best first, immutable
     * @throws dev.aml.core.CorruptDataException if the query names an agent whose files of a queried
     *     kind could not be read
     */
    public List<MemoryItem> query(MemoryQuery query) {
        if (query.situation() != null) {
            return relevance().query(query).stream().map(ScoredItem::item).toList();
        }
        return engine.query(Objects.requireNonNull(query, "query"));
    }

    /**
     * Relevance retrieval over this memory ("what applies to this situation?"), with the settings of
     * {@link Builder#relevance}, {@link Builder#embedder} and {@link Builder#vectors}. Built on first
     * use (one pass over every item) and kept in sync with every write from then on;
     * {@link #query(MemoryQuery)} routes queries with {@link MemoryQuery.Builder#relevantTo a situation}
     * here and returns their items.
     *
     * @return the retrieval, with scores and explanations
     */
    public Retrieval relevance() {
        Retrieval r = retrieval;
        if (r == null) {
            synchronized (this) {
                r = retrieval;
                if (r == null) {
                    r = Retrieval.builder(store).clock(clock).config(relevanceSettings.config())
                            .vectors(relevanceSettings.vectors()).embedderIfAny(relevanceSettings.embedder()).build();
                    retrieval = r;
                }
            }
        }
        return r;
    }

    /**
     * Same as {@code query(builder.build())}.
     *
     * @param query the query builder
     * @return the results, best first, immutable
     */
    public List<MemoryItem> query(MemoryQuery.Builder query) {
        return query(query.build());
    }

    /** @return counters of the query path since this manager opened */
    public QueryStats queryStats() {
        long hits = engine.cacheHits(); // each read once, so that queries == hits + misses holds
        long misses = engine.cacheMisses();
        return new QueryStats(hits + misses, engine.meanLatencyNanos() / 1e6, engine.p95LatencyNanos() / 1e6, hits,
                misses);
    }

    /** @return the query cache's counters since this manager opened */
    public CacheStats cacheStats() {
        return new CacheStats(engine.cacheHits(), engine.cacheMisses(), engine.cacheEvictions(), engine.cacheSize(),
                cacheSize);
    }

    /** Reads the whole store into the index again and empties the query cache (optimize's "index"). */
    public void rebuildIndex() {
        engine.rebuildIndex();
        if (retrieval != null || relevanceSettings.embedder() != null) {
            relevance().rebuild(); // also recomputes and saves the vector sidecar
        }
    }

    String newId() {
        return ids.next();
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * @return the optimize operations (gc, compress, index, warm cache) wired to this manager's
     *     query index and cache; {@code optimize().dryRun()} reports without changing anything
     */
    public Optimizer optimize() {
        return new Optimizer(store, clock, new dev.aml.maintenance.internal.optimize.RuntimeHooks() {
            @Override
            public void rebuildIndex() {
                MemoryManager.this.rebuildIndex();
            }

            @Override
            public void warm(MemoryQuery query) {
                MemoryManager.this.query(query);
            }

            @Override
            public long cacheCapacity() {
                return cacheSize;
            }
        }, false);
    }

    /**
     * Monitoring of this tree with the quick reference's thresholds.
     *
     * @return a monitor (cheap; state lives in {@code monitoring/} on disk, or, for a store without a
     *     memory root such as PostgreSQL, in memory for this manager's lifetime)
     */
    public Monitor monitor() {
        return monitor(monitorConfig);
    }

    /**
     * @return the thresholds of {@link #monitor()} and {@link #advise()} (default
     *     {@link MonitorConfig#defaults()}, or {@link Builder#monitorConfig})
     */
    public MonitorConfig monitorConfig() {
        return monitorConfig;
    }

    /**
     * @return the pruning settings the advisor and the scheduler prune with (default
     *     {@link PruneConfig#defaults()}, or {@link Builder#pruneConfig}); {@link #prune(PruneConfig)}
     *     takes its configuration explicitly
     */
    public PruneConfig pruneConfig() {
        return pruneConfig;
    }

    /**
     * @param config thresholds and limits
     * @return a monitor of this memory
     */
    public Monitor monitor(MonitorConfig config) {
        return dev.aml.maintenance.internal.monitor.Monitoring.monitor(this, config, monitorState);
    }

    /**
     * Runs a health check and applies the quick reference's decision matrix to it.
     *
     * @return the recommended steps with reasons; {@link Advice#apply()} runs them, backup first
     */
    public Advice advise() {
        return dev.aml.maintenance.internal.monitor.Monitoring.advise(this, monitorConfig, monitorState);
    }

    /**
     * Registers a listener told about every outcome recorded through this manager's agents, after the
     * item was updated (for metrics; see {@link OutcomeListener}).
     *
     * @param listener the listener
     */
    public void addOutcomeListener(OutcomeListener listener) {
        outcomeListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void outcomeRecorded(AgentId agent, dev.aml.core.ItemKind kind, dev.aml.core.Outcome outcome) {
        for (OutcomeListener l : outcomeListeners) {
            try {
                l.outcomeRecorded(agent, kind, outcome);
            } catch (RuntimeException e) {
                LOG.warn("outcome listener {} failed; the outcome of a {} of '{}' is recorded all the same", l,
                        kind.label(), agent, e);
            }
        }
    }

    /** Closes the store (flushing it first, for stores that write). */
    @Override
    public void close() {
        Retrieval r = retrieval;
        if (r != null) {
            try {
                r.close(); // saves changed vectors while the store is still open
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        }
        store.close();
    }

    /**
     * Builds a {@link MemoryManager}. Each option may be set once (a second call throws
     * {@link IllegalStateException} naming the value already set); combinations are checked by
     * {@link #build()}. With neither {@link #memoryRoot} nor {@link #store}, the memory is kept in
     * memory only.
     */
    public static final class Builder {
        private @Nullable Path memoryRoot;
        private @Nullable MemoryStore store;
        private @Nullable Clock clock;
        private @Nullable Executor executor;
        private @Nullable Durability durability;
        private @Nullable Long cacheSize;
        private @Nullable IndexStrategy indexStrategy;
        private @Nullable CompressionCodec codec;
        private @Nullable Double learningRate;
        private @Nullable BackupConfig backupConfig;
        private @Nullable PruneConfig pruneConfig;
        private @Nullable MonitorConfig monitorConfig;
        private @Nullable RelevanceConfig relevanceConfig;
        private @Nullable Embedder embedder;
        private @Nullable VectorPersistence vectors;

        private Builder() {
        }

        /**
         * @param config what the advisor ({@link MemoryManager#advise()}) and the scheduler prune with
         *     (default {@link PruneConfig#defaults()}; the aggressive step applies the aggressive limits to it)
         * @return this builder
         */
        public Builder pruneConfig(PruneConfig config) {
            SetOnce.requireUnset(pruneConfig, "pruneConfig");
            pruneConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * @param config how {@link MemoryManager#relevance()} scores and combines (default
         *     {@link RelevanceConfig#defaults()})
         * @return this builder
         */
        public Builder relevance(RelevanceConfig config) {
            SetOnce.requireUnset(relevanceConfig, "relevance");
            relevanceConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * @param config the thresholds of {@link MemoryManager#monitor()} and {@link MemoryManager#advise()}
         *     (default {@link MonitorConfig#defaults()})
         * @return this builder
         */
        public Builder monitorConfig(MonitorConfig config) {
            SetOnce.requireUnset(monitorConfig, "monitorConfig");
            monitorConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * @param newEmbedder turns on semantic scoring and hybrid ranking in {@link MemoryManager#relevance()}
         *     (aml-embeddings has the offline default); default none, lexical only
         * @return this builder
         */
        public Builder embedder(Embedder newEmbedder) {
            SetOnce.requireUnset(embedder == null ? null : embedder.modelId(), "embedder");
            embedder = Objects.requireNonNull(newEmbedder, "embedder");
            return this;
        }

        /**
         * @param persistence where item vectors are kept between runs, e.g. aml-embeddings'
         *     {@code VectorSidecar.in(root)} (default: in memory only)
         * @return this builder
         */
        public Builder vectors(VectorPersistence persistence) {
            SetOnce.requireUnset(vectors == null ? null : vectors.describe(), "vectors");
            vectors = Objects.requireNonNull(persistence, "persistence");
            return this;
        }

        /**
         * @param config where and how {@link MemoryManager#backups()}, the pre-prune backup and the
         *     pre-migration backup are kept (default {@link BackupConfig#defaults()}: beside the memory
         *     root). A store without a memory root (PostgreSQL) needs {@link BackupConfig#backupRoot()}.
         * @return this builder
         */
        public Builder backupConfig(BackupConfig config) {
            SetOnce.requireUnset(backupConfig, "backupConfig");
            backupConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * @param root the Loom memory root to open with the file store (excludes {@link #store})
         * @return this builder
         */
        public Builder memoryRoot(Path root) {
            SetOnce.requireUnset(memoryRoot, "memoryRoot");
            memoryRoot = Objects.requireNonNull(root, "root");
            return this;
        }

        /**
         * @param newStore the store to use (excludes {@link #memoryRoot}); the manager closes it
         * @return this builder
         */
        public Builder store(MemoryStore newStore) {
            SetOnce.requireUnset(store == null ? null : store.describe(), "store");
            store = Objects.requireNonNull(newStore, "store");
            return this;
        }

        /**
         * @param newClock the clock for every timestamp, age and weight (default: system UTC)
         * @return this builder
         */
        public Builder clock(Clock newClock) {
            SetOnce.requireUnset(clock, "clock");
            clock = Objects.requireNonNull(newClock, "clock");
            return this;
        }

        /**
         * @param newExecutor runs background work such as cache maintenance (default: the common pool)
         * @return this builder
         */
        public Builder executor(Executor newExecutor) {
            SetOnce.requireUnset(executor, "executor");
            executor = Objects.requireNonNull(newExecutor, "executor");
            return this;
        }

        /**
         * @param newDurability when writes reach the disk (default {@link Durability#BATCH}); only with
         *     {@link #memoryRoot}
         * @return this builder
         */
        public Builder durability(Durability newDurability) {
            SetOnce.requireUnset(durability, "durability");
            durability = Objects.requireNonNull(newDurability, "durability");
            return this;
        }

        /**
         * @param newCodec how the file store compresses what it writes (default: plain JSON); only
         *     with {@link #memoryRoot}
         * @return this builder
         */
        public Builder codec(CompressionCodec newCodec) {
            SetOnce.requireUnset(codec, "codec");
            codec = Objects.requireNonNull(newCodec, "codec");
            return this;
        }

        /**
         * @param maxResults the most query results to cache, at least 0; 0 turns the cache off
         *     (default {@value MemoryManager#DEFAULT_CACHE_SIZE})
         * @return this builder
         */
        public Builder cacheSize(long maxResults) {
            SetOnce.requireUnset(cacheSize, "cacheSize");
            cacheSize = maxResults;
            return this;
        }

        /**
         * @param strategy how queries find results (default {@link IndexStrategy#defaultIndex()})
         * @return this builder
         */
        public Builder indexStrategy(IndexStrategy strategy) {
            SetOnce.requireUnset(indexStrategy, "indexStrategy");
            indexStrategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * @param rate the learning rate of the confidence update, in [0, 1]
         *     (default {@value Learning#DEFAULT_LEARNING_RATE})
         * @return this builder
         */
        public Builder learningRate(double rate) {
            SetOnce.requireUnset(learningRate, "learningRate");
            learningRate = rate;
            return this;
        }

        /**
         * @return the manager, with its index loaded
         * @throws IllegalArgumentException if a value is out of range
         * @throws IllegalStateException if options contradict each other
         */
        public MemoryManager build() {
            if (memoryRoot != null && store != null) {
                throw new IllegalStateException("memoryRoot (" + memoryRoot + ") and store (" + store.describe()
                        + ") exclude each other: set one");
            }
            if (store != null && (durability != null || codec != null)) {
                throw new IllegalStateException("durability and codec configure the file store opened by memoryRoot;"
                        + " configure the given store (" + store.describe() + ") itself instead");
            }
            long cache = cacheSize == null ? DEFAULT_CACHE_SIZE : cacheSize;
            if (cache < 0) {
                throw new IllegalArgumentException("cacheSize must be >= 0 (0 turns the cache off), was " + cache);
            }
            double rate = learningRate == null ? Learning.DEFAULT_LEARNING_RATE : learningRate;
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("learningRate must be in [0, 1], was " + rate);
            }
            MemoryStore s = store;
            if (memoryRoot != null) {
                s = openFileStore(memoryRoot);
            } else if (s == null) {
                if (durability != null || codec != null) {
                    throw new IllegalStateException("durability and codec need memoryRoot: the in-memory store"
                            + " writes nothing to disk");
                }
                s = MemoryStore.inMemory();
            }
            try {
                return new MemoryManager(s, s.files().map(StoreFiles::root).orElse(memoryRoot), clock != null ? clock : Clock.systemUTC(),
                        executor != null ? executor : ForkJoinPool.commonPool(), cache,
                        indexStrategy != null ? indexStrategy : IndexStrategy.defaultIndex(), rate,
                        backupConfig != null ? backupConfig : BackupConfig.defaults(),
                        pruneConfig != null ? pruneConfig : PruneConfig.defaults(),
                        monitorConfig != null ? monitorConfig : MonitorConfig.defaults(),
                        new Relevance(relevanceConfig != null ? relevanceConfig : RelevanceConfig.defaults(), embedder,
                                vectors != null ? vectors : VectorPersistence.none()));
            } catch (RuntimeException e) {
                if (store == null) {
                    s.close(); // we opened it, so we release it
                }
                throw e;
            }
        }

        private MemoryStore openFileStore(Path root) {
            StoreOptions.Builder o = StoreOptions.builder();
            if (durability != null) {
                o.durability(durability);
            }
            if (codec != null) {
                o.setting("codec", codec);
            }
            if (clock != null) {
                o.clock(clock);
            }
            return MemoryStore.open(root, o.build()); // the file store of aml-store, found by ServiceLoader
        }
    }
}
