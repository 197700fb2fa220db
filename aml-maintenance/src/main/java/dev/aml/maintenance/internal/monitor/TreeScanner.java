package dev.aml.maintenance.internal.monitor;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.aml.core.AgentId;
import dev.aml.core.CorruptDataException;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.StoreFiles;
import dev.aml.core.internal.Json;
import dev.aml.maintenance.internal.prune.ItemSizes;
import dev.aml.maintenance.monitor.AgentMetrics;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Reads the tree on disk the way Loom's monitor does, but honestly: every item file of every agent
 * folder ({@code patterns.json}, {@code solutions.json}, {@code decisions.json} and their
 * {@code .json.gz} forms) is sized, sniffed for gzip by its bytes, and fully parsed (as a stream of
 * tokens, {@link #scanFile}: no tree, so memory does not grow with the file, and agents in parallel).
 * A file that is not a JSON array of objects is reported as a {@link Problem} naming the file, never
 * counted as empty. Nothing is written.
 */
final class TreeScanner {

    /** A file that could not be read. */
    record Problem(Path file, String reason) {
    }

    /** What a scan found. */
    record Scan(boolean rootExists, List<String> missingDirectories, List<AgentMetrics> agents,
            List<Problem> problems, long patternBytes, long patternsSized, boolean indexExists, long indexSizeBytes,
            @Nullable Instant indexModified, Map<String, String> unreadableAgents) {
    }

    private TreeScanner() {
    }

    /**
     * @param files the tree's layout (agent folders, item files)
     * @return what the tree holds
     */
    static Scan scan(StoreFiles files) {
        Path root = files.root();
        if (!Files.isDirectory(root)) {
            return new Scan(false, List.of(), List.of(), List.of(), 0, 0, false, 0, null, Map.of());
        }
        List<String> missing = new ArrayList<>();
        for (String dir : List.of("global", "config")) {
            if (!Files.isDirectory(root.resolve(dir))) {
                missing.add(dir + "/");
            }
        }
        List<AgentMetrics> agents = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        long[] patternStats = new long[2];
        // agents are independent files: parse them on all cores, then assemble in name order
        for (AgentScan a : agentFolders(files).parallelStream().map(name -> scanAgent(files, name)).toList()) {
            agents.add(a.metrics());
            problems.addAll(a.problems());
            patternStats[0] += a.patternBytes();
            patternStats[1] += a.patternsSized();
        }
        Path index = root.resolve("global").resolve("index.json");
        boolean indexExists = Files.isRegularFile(index);
        long indexSize = 0;
        Instant indexModified = null;
        if (indexExists) {
            try {
                indexSize = Files.size(index);
                indexModified = Files.getLastModifiedTime(index).toInstant();
            } catch (IOException e) {
                problems.add(new Problem(index, "cannot read its size or time: " + e.getMessage()));
            }
        }
        return new Scan(true, missing, agents, problems, patternStats[0], patternStats[1], indexExists, indexSize,
                indexModified, Map.of());
    }

    /**
     * Measures a store that has no tree on disk (PostgreSQL, in memory) through the SPI: item counts
     * per kind from {@link MemoryStore#items}, sizes as the estimated length of each item's compact
     * Loom JSON ({@link ItemSizes}, the estimate prune plans with), so the limits mean the same bytes
     * as on disk before compression. An agent the store cannot read is listed with its reason, never
     * counted as empty. There are no files, directories or index file: those fields stay empty.
     */
    static Scan scanStore(MemoryStore store) {
        Map<String, String> unreadable = new TreeMap<>();
        store.unreadableAgents().forEach((agent, e) -> unreadable.put(agent.name(), String.valueOf(e.getMessage())));
        List<AgentMetrics> agents = new ArrayList<>();
        long patternBytes = 0;
        long patternsSized = 0;
        for (AgentId agent : store.agents()) {
            if (unreadable.containsKey(agent.name())) {
                continue;
            }
            long size = 0;
            long[] counts = new long[ItemKind.values().length];
            try {
                for (ItemKind kind : ItemKind.values()) {
                    for (MemoryItem item : store.items(agent, kind)) {
                        long n = ItemSizes.compactSize(item);
                        size += n;
                        counts[kind.ordinal()]++;
                        if (kind == ItemKind.PATTERN) {
                            patternBytes += n;
                            patternsSized++;
                        }
                    }
                }
            } catch (CorruptDataException e) {
                unreadable.put(agent.name(), String.valueOf(e.getMessage()));
                continue;
            }
            agents.add(new AgentMetrics(agent.name(), size, counts[ItemKind.PATTERN.ordinal()],
                    counts[ItemKind.SOLUTION.ordinal()], counts[ItemKind.DECISION.ordinal()], 0, 0));
        }
        agents.sort(java.util.Comparator.comparing(AgentMetrics::agent));
        return new Scan(true, List.of(), List.copyOf(agents), List.of(), patternBytes, patternsSized, false, 0, null,
                java.util.Collections.unmodifiableMap(unreadable));
    }

    /** @return folder names under the root that are agents (valid, non-reserved names), sorted */
    private static List<String> agentFolders(StoreFiles files) {
        try {
            return files.agentFolders();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + files.root() + ": " + e.getMessage(), e);
        }
    }

    /** What scanning one agent's files found. */
    private record AgentScan(AgentMetrics metrics, List<Problem> problems, long patternBytes, long patternsSized) {
    }

    private static AgentScan scanAgent(StoreFiles files, String name) {
        List<Problem> problems = new ArrayList<>();
        long[] patternStats = new long[2];
        long size = 0;
        long[] counts = new long[ItemKind.values().length];
        int compressed = 0;
        int plain = 0;
        for (StoreFiles.ItemFile itemFile : files.itemFiles(AgentId.of(name))) {
            ItemKind kind = itemFile.kind();
            Path file = itemFile.path();
            FileScan f = null;
            String problem = null;
            // streamed from the file: memory stays a few buffers whatever the file's size
            CountingInput counted;
            try (InputStream in = new BufferedInputStream(counted = new CountingInput(Files.newInputStream(file)),
                    1 << 16)) {
                in.mark(2);
                boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
                in.reset();
                try {
                    f = scanFile(file, in, gzip, kind == ItemKind.PATTERN);
                } catch (CorruptDataException e) {
                    String m = String.valueOf(e.getMessage());
                    problem = m.startsWith(file.toString()) ? m.substring(file.toString().length()).strip() : m;
                }
                in.transferTo(OutputStream.nullOutputStream()); // the rest, so the size is the file's
                size += counted.count;
                if (gzip) {
                    compressed++;
                } else {
                    plain++;
                }
            } catch (IOException e) {
                problems.add(new Problem(file, "cannot be read: " + e.getMessage()));
                continue;
            }
            if (problem != null) {
                problems.add(new Problem(file, problem));
                continue;
            }
            if (f.shapeProblem() != null) {
                problems.add(new Problem(file, f.shapeProblem()));
                continue;
            }
            counts[kind.ordinal()] += f.items();
            patternStats[0] += f.compactBytes();
            patternStats[1] += f.sized();
        }
        return new AgentScan(new AgentMetrics(name, size, counts[ItemKind.PATTERN.ordinal()],
                counts[ItemKind.SOLUTION.ordinal()], counts[ItemKind.DECISION.ordinal()], compressed, plain),
                problems, patternStats[0], patternStats[1]);
    }

    /**
     * What one item file holds, read as a stream of JSON tokens.
     *
     * @param items the number of elements of its top-level array
     * @param compactBytes the summed length of each element re-serialized as compact JSON (when measured)
     * @param sized how many elements were measured
     * @param shapeProblem why the file is not an array of objects, or null
     */
    record FileScan(long items, long compactBytes, long sized, @Nullable String shapeProblem) {
    }

    /**
     * Reads one item file without building a tree: checks that it is a JSON array of objects, counts
     * them and, if asked, measures each as compact JSON (Jackson's own serialization of the tokens,
     * what {@code writeValueAsBytes} of the parsed element gives, except that an object with a
     * repeated key counts every occurrence). The whole file is read before a shape problem is
     * reported, so invalid JSON anywhere wins over a wrong shape, as when the file is parsed whole.
     * Memory stays a few buffers whatever the file's size.
     *
     * @param file the file (for messages)
     * @param data its bytes, gzip or plain (sniffed)
     * @param measure whether to measure each element's compact size
     * @return what the file holds
     * @throws CorruptDataException if it is empty, not valid JSON, or does not decompress
     */
    static FileScan scanFile(Path file, byte[] data, boolean measure) {
        try {
            return scanFile(file, new ByteArrayInputStream(data), MonitorFiles.isGzip(data), measure);
        } catch (IOException e) {
            throw new CorruptDataException(file + " cannot be read (" + e.getMessage() + "); it was left untouched",
                    file, -1, CorruptDataException.PositionKind.NONE, e);
        }
    }

    /**
     * {@link #scanFile(Path, byte[], boolean)} over a stream, which is read up to the end of the JSON
     * value and its trailing white space, and not closed.
     *
     * @param file the file (for messages)
     * @param source its bytes
     * @param gzip whether they are gzip
     * @param measure whether to measure each element's compact size
     * @return what the file holds
     * @throws CorruptDataException if it is empty, not valid JSON, or does not decompress
     * @throws IOException if {@code source} cannot be read (plain files; gzip errors are corrupt data)
     */
    static FileScan scanFile(Path file, InputStream source, boolean gzip, boolean measure) throws IOException {
        InputStream kept = new java.io.FilterInputStream(source) {
            @Override
            public void close() {
                // the caller's stream stays open; only the decompressor's native memory is released
            }
        };
        try (InputStream in = gzip ? new GZIPInputStream(kept, 1 << 16) : kept;
                JsonParser p = Json.MAPPER.getFactory().createParser(in)) {
            JsonToken top = p.nextToken();
            if (top == null) {
                throw new CorruptDataException(file + " is empty, not JSON; it was left untouched", file, 0,
                        CorruptDataException.PositionKind.BYTE_OFFSET, null);
            }
            String shape = null;
            long items = 0;
            long bytes = 0;
            long sized = 0;
            if (top != JsonToken.START_ARRAY) {
                shape = "is a JSON " + typeName(top) + ", not an array of items; it was left untouched";
                p.skipChildren();
            } else {
                CountingStream counter = new CountingStream();
                try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(counter)) {
                    g.setRootValueSeparator(null);
                    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                        if (t == null) {
                            throw new JsonParseException(p, "Unexpected end-of-input: expected close marker for ARRAY");
                        }
                        if (t != JsonToken.START_OBJECT) {
                            if (shape == null) {
                                shape = "element " + items + " is a JSON " + typeName(t)
                                        + ", not an item object; the file was left untouched";
                            }
                            p.skipChildren();
                        } else if (measure && shape == null) {
                            long before = counter.count;
                            g.copyCurrentStructure(p);
                            g.flush();
                            bytes += counter.count - before;
                            sized++;
                        } else {
                            p.skipChildren();
                        }
                        items++;
                    }
                }
            }
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new JsonParseException(p, "Trailing token (of type " + trailing + ") found after value");
            }
            return shape != null ? new FileScan(0, 0, 0, shape) : new FileScan(items, bytes, sized, null);
        } catch (JsonProcessingException e) {
            throw MonitorFiles.notJson(file, e);
        } catch (IOException e) {
            if (!gzip) {
                throw e;
            }
            throw MonitorFiles.notDecompressed(file, e);
        }
    }

    /** @return the JSON type a value starting with {@code t} has, as {@code JsonNodeType} names it (lower case) */
    private static String typeName(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "object";
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> "value"; // embedded objects do not occur in parsed text
        };
    }

    /** Counts the bytes read through it. */
    private static final class CountingInput extends java.io.FilterInputStream {
        long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(0, n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            count += k;
            return k;
        }
    }

    /** Counts bytes and keeps none. */
    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
