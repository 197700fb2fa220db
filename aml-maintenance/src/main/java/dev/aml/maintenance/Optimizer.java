package dev.aml.maintenance;

import dev.aml.core.ConcurrentOperationException;
import dev.aml.core.MemoryStore;
import dev.aml.maintenance.internal.optimize.OptimizeEngine;
import dev.aml.maintenance.internal.optimize.RuntimeHooks;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Optimization of one memory: garbage collection, compression, the index, the query cache.
 * Obtained from {@code MemoryManager.optimize()}; {@link #dryRun()} gives the same operations
 * computing what they would do and changing nothing. Operations that change something hold the
 * maintenance lock ({@link ConcurrentOperationException} if another operation runs).
 *
 * <p>Differences from the reference toolkit (LOOM-FORMAT.md §5.2, §8): every operation has a dry
 * run; {@code compress(0)} compresses everything (not 30 days); compression keeps file names (gzip
 * bytes in {@code patterns.json}, which AML and Loom's TypeScript runtime read; the Python toolkit
 * cannot) and never touches {@code global/}, {@code config/} or {@code monitoring/}; gc never
 * deletes a file it could not read and never de-duplicates across agents; the index and bloom
 * filter are JSON and a documented binary layout, never pickle; {@code all()} runs in an order
 * where no step invalidates an earlier one.
 */
public final class Optimizer {

    /** Age used by {@link #all()} for compression, the reference's default. */
    public static final int DEFAULT_COMPRESS_AGE_DAYS = 30;

    private final OptimizeEngine engine;
    private final boolean dryRun;

    Optimizer(MemoryStore store, Clock clock, RuntimeHooks hooks, boolean dryRun) {
        this(new OptimizeEngine(store, clock, hooks), dryRun);
    }

    private Optimizer(OptimizeEngine engine, boolean dryRun) {
        this.engine = engine;
        this.dryRun = dryRun;
    }

    /** @return the same operations as a dry run: each reports what it would do and changes nothing */
    public Optimizer dryRun() {
        return new Optimizer(engine, true);
    }

    /** @return whether this optimizer only reports */
    public boolean isDryRun() {
        return dryRun;
    }

    /**
     * Removes items without an id and older copies of duplicate ids (per agent and kind, keeping the
     * newest), stale temporary files and provably empty item files; reports exact duplicate
     * patterns without merging them. Unreadable files are reported, never deleted.
     *
     * @return the report ({@code gc} counts)
     */
    public OptimizeReport gc() {
        return gc(false);
    }

    /**
     * {@link #gc()}, optionally merging exact duplicate patterns (same agent, same normalized body)
     * into the first one, metrics combined with the learning formulas and tags united.
     *
     * @param mergeDuplicates whether to merge exact duplicates
     * @return the report
     */
    public OptimizeReport gc(boolean mergeDuplicates) {
        return engine.locked("gc", dryRun, () -> engine.gc(dryRun, mergeDuplicates));
    }

    /**
     * Gzips the agents' item files (in place, atomically, verified) and any uncompressed archive not
     * modified for {@code ageDays} days.
     *
     * <p>Meant for the CLI (open, compress, close) or for idle agents: a file store of this process
     * that later rewrites a compressed file reports an external edit at that checkpoint
     * ({@link ConcurrentOperationException}); nothing is lost, and reopening the store merges its
     * journal onto the compressed file. The store's next checkpoint of an agent writes that agent's
     * files with the store's own codec (plain JSON by default).
     *
     * @param ageDays age in days; 0 means every file
     * @return the report ({@code compress} counts)
     * @throws IllegalArgumentException if {@code ageDays} is negative
     */
    public OptimizeReport compress(int ageDays) {
        if (ageDays < 0) {
            throw new IllegalArgumentException("ageDays must be >= 0 (0 compresses every file), was " + ageDays);
        }
        return engine.locked("compress", dryRun, () -> engine.compress(ageDays, dryRun));
    }

    /**
     * Rebuilds the runtime's query index and writes Loom's {@code global/index.json} (§3.7 shape) and
     * a bloom filter of all ids ({@code global/aml-bloom.bin}, capacity max(1000, ids), 1 % false
     * positives), atomically.
     *
     * @return the report ({@code index} counts)
     */
    public OptimizeReport rebuildIndex() {
        return engine.locked("index", dryRun, () -> engine.rebuildIndex(dryRun));
    }

    /**
     * Fills the query cache to 80 % of its size with the queries most likely to be asked: per agent
     * and kind, and per most frequent tag, the items with confidence and success rate ≥ 0.7.
     *
     * @return the report ({@code warm-cache} counts)
     */
    public OptimizeReport warmCache() {
        return engine.locked("warm-cache", dryRun, () -> engine.warmCache(dryRun));
    }

    /**
     * Runs, under one lock: {@link #gc()} (so duplicates and invalid items never reach the index),
     * {@link #compress(int) compress(30)}, {@link #rebuildIndex()} (after compression, so it
     * describes the files as they are), then {@link #warmCache()} (on the fresh index).
     *
     * @return a report whose {@link OptimizeReport#steps()} are the four steps, in order
     */
    public OptimizeReport all() {
        return engine.locked("all", dryRun, () -> {
            long t0 = System.nanoTime();
            List<OptimizeReport> steps = new ArrayList<>();
            steps.add(engine.gc(dryRun, false));
            steps.add(engine.compress(DEFAULT_COMPRESS_AGE_DAYS, dryRun));
            steps.add(engine.rebuildIndex(dryRun));
            steps.add(engine.warmCache(dryRun));
            Map<String, Long> counts = new LinkedHashMap<>();
            List<String> changes = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (OptimizeReport s : steps) {
                s.counts().forEach((k, v) -> counts.merge(k, v, Long::sum));
                s.changes().forEach(c -> changes.add(s.operation() + ": " + c));
                s.errors().forEach(e -> errors.add(s.operation() + ": " + e));
            }
            return new OptimizeReport("all", dryRun, steps.get(0).bytesBefore(), steps.get(3).bytesAfter(),
                    (System.nanoTime() - t0) / 1_000_000, counts, changes, errors, steps);
        });
    }
}
