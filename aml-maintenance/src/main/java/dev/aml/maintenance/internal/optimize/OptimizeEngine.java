package dev.aml.maintenance.internal.optimize;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import dev.aml.core.AgentId;
import dev.aml.core.CorruptDataException;
import dev.aml.core.ItemKind;
import dev.aml.core.MaintenanceLock;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.MemoryStore;
import dev.aml.core.StoreFiles;
import dev.aml.loom.LoomJson;
import dev.aml.maintenance.OptimizeReport;
import dev.aml.maintenance.internal.io.AtomicFiles;
import dev.aml.maintenance.internal.prune.ItemSizes;
import dev.aml.maintenance.internal.prune.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The optimize operations. Each returns an {@link OptimizeReport}; in a dry run each computes
 * exactly what it would do and writes nothing. Operations that change something hold the store's
 * maintenance lock; file work runs inside {@link MemoryStore#quiesced} so the store never writes
 * a file while it is being compressed or deleted.
 *
 * <p>Never deleted or rewritten: a file the store could not read, anything under {@code global/},
 * {@code config/} or {@code monitoring/} (except AML's own index files), and anything outside the
 * memory root and its backup root.
 */
public final class OptimizeEngine {

    /** Minimum capacity of the index's bloom filter, which grows with the ids (the reference always uses 50,000). */
    public static final int BLOOM_MIN_CAPACITY = 1_000;
    /** Temporary files older than this are stale (no writer keeps one open this long). */
    public static final Duration STALE_TEMP_AGE = Duration.ofHours(1);
    /** Warm-cache filter: minimum confidence (the reference's value). */
    public static final double WARM_MIN_CONFIDENCE = 0.7;
    /** Warm-cache filter: minimum success rate (the reference's value). */
    public static final double WARM_MIN_SUCCESS = 0.7;
    /** Share of the cache warming fills (the reference warms to 80 %). */
    public static final double WARM_FILL = 0.8;
    /** Name of the bloom filter file under {@code global/}. */
    public static final String BLOOM_FILE = "aml-bloom.bin";

    private final MemoryStore store;
    private final Clock clock;
    private final RuntimeHooks hooks;

    /**
     * @param store the store
     * @param clock the clock
     * @param hooks the runtime's index and cache
     */
    public OptimizeEngine(MemoryStore store, Clock clock, RuntimeHooks hooks) {
        this.store = store;
        this.clock = clock;
        this.hooks = hooks;
    }

    /**
     * @param operation the lock label
     * @param dryRun whether to change nothing (then no lock is taken)
     * @param body the work
     * @return the body's report
     */
    public OptimizeReport locked(String operation, boolean dryRun, Supplier<OptimizeReport> body) {
        if (dryRun) {
            return body.get();
        }
        MaintenanceLock lock = store.lockMaintenance("optimize " + operation);
        try {
            return body.get();
        } finally {
            lock.close();
        }
    }

    // ---------------------------------------------------------------- gc

    /**
     * @param dryRun whether to change nothing
     * @param merge whether to merge exact duplicate patterns
     * @return the report
     */
    public OptimizeReport gc(boolean dryRun, boolean merge) {
        long t0 = System.nanoTime();
        long before = treeBytes();
        GarbageCollector.Result r = GarbageCollector.plan(store, merge);
        Map<String, Long> counts = new LinkedHashMap<>(r.counts());
        List<String> lines = new ArrayList<>(r.lines());
        if (!dryRun && !r.changes().isEmpty()) {
            store.apply(r.changes());
            store.checkpoint();
        }
        StoreFiles files = store.files().orElse(null);
        long temps = 0;
        long empties = 0;
        if (files != null) {
            Path root = files.root();
            List<Path> stale = staleTempFiles(root);
            List<Path> empty = emptyItemFiles(files);
            temps = stale.size();
            empties = empty.size();
            List<Path> orphans = orphanGzipFiles(files);
            counts.put("orphan_files", (long) orphans.size());
            orphans.forEach(p -> lines.add("orphan " + root.relativize(p) + ": the live file is "
                    + p.getFileName().toString().replaceFirst("\\.gz$", "") + "; left in place, remove it after"
                    + " checking it holds nothing you need"));
            stale.forEach(p -> lines.add("stale temporary file " + root.relativize(p)));
            empty.forEach(p -> lines.add("empty item file " + root.relativize(p)));
            if (!dryRun && (temps > 0 || empties > 0)) {
                List<Path> rewritten = new ArrayList<>(stale);
                rewritten.addAll(empty);
                files.rewritingInPlace(rewritten, () -> {
                    for (Path p : stale) {
                        delete(p);
                    }
                    for (Path p : emptyItemFiles(files)) {
                        delete(p);
                    }
                    return null;
                });
            }
        }
        counts.put("temp_files_removed", temps);
        counts.put("empty_files_removed", empties);
        return report("gc", dryRun, before, t0, counts, lines, r.errors());
    }

    private List<Path> staleTempFiles(Path root) {
        Instant limit = clock.instant().minus(STALE_TEMP_AGE);
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if ((name.endsWith(".aml-tmp") || name.endsWith(AtomicFiles.TEMP_SUFFIX)) && Files.isRegularFile(p)
                        && Files.getLastModifiedTime(p).toInstant().isBefore(limit)) {
                    out.add(p);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // An unreadable directory is simply not cleaned; nothing is lost.
        }
        return out;
    }

    /** {@code X.json.gz} beside a live {@code X.json} (left by the reference's compressor): reported, never deleted. */
    private List<Path> orphanGzipFiles(StoreFiles files) {
        List<Path> out = new ArrayList<>();
        for (AgentId agent : readableAgents(null, "checked")) {
            for (ItemKind kind : ItemKind.values()) {
                Path live = files.itemFile(agent, kind);
                Path gz = live.resolveSibling(kind.fileName() + ".gz");
                if (Files.isRegularFile(gz) && Files.isRegularFile(live)) {
                    out.add(gz);
                }
            }
        }
        return out;
    }

    /** Item files of readable agents holding nothing (0 bytes or {@code []}) while the store holds no such items. */
    private List<Path> emptyItemFiles(StoreFiles files) {
        List<Path> out = new ArrayList<>();
        for (AgentId agent : readableAgents(null, "cleaned")) {
            for (ItemKind kind : ItemKind.values()) {
                Path file = files.itemFile(agent, kind);
                try {
                    if (!Files.isRegularFile(file) || Files.size(file) > 64 || !store.items(agent, kind).isEmpty()) {
                        continue;
                    }
                    String text = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8);
                    if (text.isBlank() || text.strip().equals("[]")) {
                        out.add(file);
                    }
                } catch (IOException | CorruptDataException e) {
                    // not provably empty: leave it
                }
            }
        }
        return out;
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + p + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- compress

    /**
     * @param ageDays compress files not modified for this many days; 0 means every file
     * @param dryRun whether to change nothing
     * @return the report
     */
    public OptimizeReport compress(int ageDays, boolean dryRun) {
        if (ageDays < 0) {
            throw new IllegalArgumentException("ageDays must be >= 0 (0 compresses every file), was " + ageDays);
        }
        long t0 = System.nanoTime();
        long before = treeBytes();
        Map<String, Long> counts = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        StoreFiles storeFiles = store.files().orElse(null);
        if (storeFiles == null) {
            lines.add(store.describe() + " has no files to compress");
            counts.put("files_compressed", 0L);
            counts.put("files_skipped", 0L);
            return report("compress", dryRun, before, t0, counts, lines, errors);
        }
        Path root = storeFiles.root();
        Instant cutoff = clock.instant().minus(Duration.ofDays(ageDays));
        List<Path> files = new ArrayList<>();
        for (AgentId agent : readableAgents(errors, "compressed")) {
            for (ItemKind kind : ItemKind.values()) {
                Path f = storeFiles.itemFile(agent, kind);
                if (Files.isRegularFile(f)) {
                    files.add(f);
                }
            }
        }
        Path archives = backupRoot(root).resolve("archives");
        if (Files.isDirectory(archives)) {
            try (Stream<Path> s = Files.walk(archives)) {
                s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                        .forEach(files::add);
            } catch (IOException | UncheckedIOException e) {
                errors.add("Could not list " + archives + ": " + e.getMessage());
            }
        }
        long compressed = 0;
        long skipped = 0;
        List<Path> todo = new ArrayList<>();
        for (Path f : files) {
            try {
                boolean old = ageDays == 0 || Files.getLastModifiedTime(f).toInstant().isBefore(cutoff);
                byte[] head = readHead(f);
                if (!old || AtomicFiles.isGzip(head) || Files.size(f) == 0) {
                    skipped++;
                } else {
                    todo.add(f);
                }
            } catch (IOException e) {
                errors.add("Could not read " + f + ": " + e.getMessage());
            }
        }
        for (Path f : todo) {
            lines.add("compress " + display(root, f));
            compressed++;
        }
        if (!dryRun && !todo.isEmpty()) {
            storeFiles.rewritingInPlace(todo, () -> {
                for (Path f : todo) {
                    gzipInPlace(f, errors);
                }
                return null;
            });
        }
        counts.put("files_compressed", compressed);
        counts.put("files_skipped", skipped);
        return report("compress", dryRun, before, t0, counts, lines, errors);
    }

    private static void gzipInPlace(Path f, List<String> errors) {
        try {
            byte[] plain = Files.readAllBytes(f);
            if (AtomicFiles.isGzip(plain) || plain.length == 0) {
                return;
            }
            byte[] gz = AtomicFiles.gzip(plain, 9);
            if (!Arrays.equals(AtomicFiles.gunzip(gz), plain)) {
                errors.add("Compression of " + f + " did not round-trip; the file was left as it was.");
                return;
            }
            AtomicFiles.write(f, gz);
        } catch (IOException e) {
            errors.add("Could not compress " + f + " (" + e.getMessage() + "); the file was left as it was.");
        }
    }

    private static byte[] readHead(Path f) throws IOException {
        try (var in = Files.newInputStream(f)) {
            return in.readNBytes(2);
        }
    }

    // ---------------------------------------------------------------- index

    /**
     * @param dryRun whether to change nothing
     * @return the report
     */
    public OptimizeReport rebuildIndex(boolean dryRun) {
        long t0 = System.nanoTime();
        long before = treeBytes();
        Map<String, Long> counts = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Path root = store.files().map(StoreFiles::root).orElse(null);
        ByteArrayOutputStream json = new ByteArrayOutputStream(1 << 16);
        long indexed = 0;
        long skipped = 0;
        List<String> ids = new ArrayList<>();
        LoomJson loom = LoomJson.defaults();
        try (JsonGenerator g = new JsonFactory().createGenerator(json, JsonEncoding.UTF8)) {
            g.enable(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());
            g.setPrettyPrinter(new DefaultPrettyPrinter()
                    .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                    .withArrayIndenter(new DefaultIndenter("  ", "\n"))
                    .withSeparators(Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)));
            g.writeStartObject();
            g.writeArrayFieldStart("entries");
            for (AgentId agent : readableAgents(errors, "indexed")) {
                for (ItemKind kind : ItemKind.values()) {
                    String file = root == null ? agent + "/" + kind.fileName()
                            : root.resolve(agent.name()).resolve(kind.fileName()).toString();
                    for (MemoryItem item : store.items(agent, kind)) {
                        if (item.id().isEmpty()) {
                            skipped++;
                            continue;
                        }
                        indexed++;
                        ids.add(item.id());
                        g.writeStartObject();
                        g.writeStringField("id", item.id());
                        g.writeStringField("agent", agent.name());
                        g.writeStringField("item_type", kind.label());
                        g.writeStringField("timestamp", item.timestamp() == null ? ""
                                : loom.formatTimestamp(item.timestamp()));
                        g.writeArrayFieldStart("tags");
                        for (String t : item.tags()) {
                            g.writeString(t);
                        }
                        g.writeEndArray();
                        g.writeNumberField("confidence", item.confidence());
                        g.writeNumberField("success_rate", item.successRate());
                        g.writeStringField("file_path", file);
                        g.writeNumberField("offset", 0);
                        g.writeNumberField("size", ItemSizes.compactSize(item));
                        g.writeEndObject();
                    }
                }
            }
            g.writeEndArray();
            g.writeStringField("version", "1.0.0");
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not build the index in memory", e);
        }
        BloomFilter bloom = new BloomFilter(Math.max(BLOOM_MIN_CAPACITY, ids.size()), 0.01);
        for (String id : ids) {
            bloom.add(id);
        }
        counts.put("indexed", indexed);
        counts.put("skipped_without_id", skipped);
        counts.put("bloom_bits", bloom.size());
        lines.add("rebuild the query index of the runtime");
        if (root != null) {
            lines.add("write global/index.json (" + indexed + " entries) and global/" + BLOOM_FILE);
        }
        if (!dryRun) {
            hooks.rebuildIndex();
            if (root != null) {
                try {
                    Path global = root.resolve("global");
                    AtomicFiles.write(global.resolve("index.json"), json.toByteArray());
                    AtomicFiles.write(global.resolve(BLOOM_FILE), bloom.toBytes());
                } catch (IOException e) {
                    errors.add("Could not write the index under " + root.resolve("global") + ": " + e.getMessage()
                            + "; the previous index files are unchanged.");
                }
            }
        }
        return report("index", dryRun, before, t0, counts, lines, errors);
    }

    // ---------------------------------------------------------------- warm cache

    /**
     * @param dryRun whether to change nothing
     * @return the report
     */
    public OptimizeReport warmCache(boolean dryRun) {
        long t0 = System.nanoTime();
        long before = treeBytes();
        Map<String, Long> counts = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        long capacity = hooks.cacheCapacity();
        long budget = (long) (WARM_FILL * capacity);
        long candidates = 0;
        List<MemoryQuery> base = new ArrayList<>();
        Map<String, Long> tagFrequency = new HashMap<>();
        Map<String, Map<String, MemoryQuery>> byTag = new LinkedHashMap<>();
        for (AgentId agent : readableAgents(errors, "warmed")) {
            for (ItemKind kind : ItemKind.values()) {
                long hot = 0;
                for (MemoryItem item : store.items(agent, kind)) {
                    if (item.confidence() >= WARM_MIN_CONFIDENCE && item.successRate() >= WARM_MIN_SUCCESS) {
                        hot++;
                        for (String tag : item.tags()) {
                            tagFrequency.merge(tag, 1L, Long::sum);
                            byTag.computeIfAbsent(tag, t -> new LinkedHashMap<>())
                                    .computeIfAbsent(agent + "\u0000" + kind, k -> query(agent, kind, tag));
                        }
                    }
                }
                if (hot > 0) {
                    candidates += hot;
                    base.add(query(agent, kind, null));
                }
            }
        }
        List<MemoryQuery> queries = new ArrayList<>(base);
        tagFrequency.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> queries.addAll(byTag.get(e.getKey()).values()));
        List<MemoryQuery> run = queries.subList(0, (int) Math.min(queries.size(), budget));
        if (capacity == 0) {
            lines.add("no query cache is attached (or its size is 0); nothing to warm");
        } else {
            lines.add("run " + run.size() + " of " + queries.size() + " likely queries (cache holds " + capacity
                    + " results, warmed to " + Math.round(WARM_FILL * 100) + " %)");
        }
        if (!dryRun) {
            for (MemoryQuery q : run) {
                hooks.warm(q);
            }
        }
        counts.put("candidates", candidates);
        counts.put("queries", (long) run.size());
        counts.put("cache_capacity", capacity);
        return report("warm-cache", dryRun, before, t0, counts, lines, errors);
    }

    private static MemoryQuery query(AgentId agent, ItemKind kind, @Nullable String tag) {
        MemoryQuery.Builder b = MemoryQuery.builder().kinds(kind).agents(List.of(agent))
                .minConfidence(WARM_MIN_CONFIDENCE).minSuccessRate(WARM_MIN_SUCCESS);
        if (tag != null) {
            b.tags(tag);
        }
        return b.build();
    }

    // ---------------------------------------------------------------- helpers

    /**
     * @param errors where to report each unreadable agent, or {@code null} to skip them silently
     * @param what what is not done to it, e.g. {@code "compressed"}
     * @return the agents whose files the store could read, sorted
     */
    private List<AgentId> readableAgents(@Nullable List<String> errors, String what) {
        Map<AgentId, CorruptDataException> unreadable = store.unreadableAgents();
        List<AgentId> out = new ArrayList<>();
        for (AgentId agent : store.agents()) {
            if (!unreadable.containsKey(agent)) {
                out.add(agent);
            } else if (errors != null) {
                errors.add("Agent '" + agent + "' was not " + what + ": its files could not be read; they were"
                        + " left untouched.");
            }
        }
        return out;
    }

    /** @return the memory tree's size: its files when it has a directory, else its items' sizes */
    public long treeBytes() {
        Path root = store.files().map(StoreFiles::root).orElse(null);
        if (root != null) {
            OptionalLong onDisk = Snapshot.bytesUnder(root);
            if (onDisk.isPresent()) {
                return onDisk.getAsLong();
            }
        }
        long sum = 0;
        for (AgentId agent : readableAgents(null, "measured")) {
            for (ItemKind kind : ItemKind.values()) {
                for (MemoryItem item : store.items(agent, kind)) {
                    sum += ItemSizes.compactSize(item);
                }
            }
        }
        return sum;
    }

    private static Path backupRoot(Path root) {
        Path abs = root.toAbsolutePath().normalize();
        return (abs.getParent() != null ? abs.getParent() : abs).resolve("memory-backup");
    }

    private static String display(Path root, Path f) {
        Path abs = f.toAbsolutePath().normalize();
        Path r = root.toAbsolutePath().normalize();
        return abs.startsWith(r) ? r.relativize(abs).toString() : abs.toString();
    }

    private OptimizeReport report(String op, boolean dryRun, long before, long t0, Map<String, Long> counts,
            List<String> lines, List<String> errors) {
        long after = dryRun ? before : treeBytes();
        return new OptimizeReport(op, dryRun, before, after, (System.nanoTime() - t0) / 1_000_000, counts, lines,
                errors, List.of());
    }
}
