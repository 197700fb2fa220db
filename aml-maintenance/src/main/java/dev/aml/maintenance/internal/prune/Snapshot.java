package dev.aml.maintenance.internal.prune;

import dev.aml.core.AgentId;
import dev.aml.core.CorruptDataException;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.maintenance.PruneConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A consistent read of the agents a prune covers: per agent its store version and its items of
 * every kind. Agents the store cannot read are not in the snapshot; they are listed in
 * {@link #errors()} so that nothing is ever pruned "around" unreadable data.
 */
public final class Snapshot {

    /**
     * One agent's items.
     *
     * @param agent the agent
     * @param version the store's version of the agent when it was read
     * @param items its items per kind, in order
     */
    public record AgentItems(AgentId agent, long version, Map<ItemKind, List<MemoryItem>> items) {
        /** Copies the map. */
        public AgentItems {
            items = Map.copyOf(items);
        }

        /**
         * @param kind a kind
         * @return the items of that kind
         */
        public List<MemoryItem> of(ItemKind kind) {
            return items.getOrDefault(kind, List.of());
        }
    }

    /**
     * Where the sizes of agents at rest come from. Implementations are thread-safe: the planner plans
     * agents on several threads at once.
     */
    public interface Sizes {
        /**
         * @param agent an agent
         * @return its size at rest, or empty to use the sum of its items' sizes
         */
        OptionalLong agentBytes(AgentId agent);

        /** @return the memory's size at rest, or empty to use the sum over the snapshot */
        OptionalLong globalBytes();

        /** Sizes from items only. */
        Sizes FROM_ITEMS = new Sizes() {
            @Override
            public OptionalLong agentBytes(AgentId agent) {
                return OptionalLong.empty();
            }

            @Override
            public OptionalLong globalBytes() {
                return OptionalLong.empty();
            }
        };
    }

    private final List<AgentItems> agents;
    private final List<String> errors;
    private final Sizes sizes;

    /**
     * @param agents the agents read
     * @param errors one line per agent left out
     * @param sizes sizes at rest
     */
    public Snapshot(List<AgentItems> agents, List<String> errors, Sizes sizes) {
        this.agents = List.copyOf(agents);
        this.errors = List.copyOf(errors);
        this.sizes = Objects.requireNonNull(sizes, "sizes");
    }

    /**
     * Reads every agent the configuration covers. Unreadable agents, and agents the configuration
     * names that do not exist, become errors.
     *
     * @param store the store
     * @param config the configuration (its agent filter is used)
     * @return the snapshot
     */
    public static Snapshot take(MemoryStore store, PruneConfig config) {
        Set<AgentId> present = store.agents();
        Map<AgentId, CorruptDataException> unreadable = store.unreadableAgents();
        List<AgentItems> read = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (AgentId wanted : config.agents().stream().sorted().toList()) {
            if (!present.contains(wanted)) {
                errors.add("Agent '" + wanted + "' has no memory in " + store.describe()
                        + "; check the name (agents present: " + present + ").");
            }
        }
        for (AgentId agent : present) {
            if (!config.covers(agent)) {
                continue;
            }
            CorruptDataException bad = unreadable.get(agent);
            if (bad != null) {
                errors.add(skipped(agent, bad));
                continue;
            }
            try {
                long version = store.version(agent);
                EnumMap<ItemKind, List<MemoryItem>> items = new EnumMap<>(ItemKind.class);
                for (ItemKind kind : ItemKind.values()) {
                    items.put(kind, store.items(agent, kind));
                }
                read.add(new AgentItems(agent, version, items));
            } catch (CorruptDataException e) {
                errors.add(skipped(agent, e));
            }
        }
        Sizes sizes = store.files().<Sizes>map(f -> new FileSizes(f.root())).orElse(Sizes.FROM_ITEMS);
        return new Snapshot(read, errors, sizes);
    }

    private static String skipped(AgentId agent, CorruptDataException e) {
        return "Agent '" + agent + "' was skipped, nothing of it was pruned: " + e.getMessage()
                + " Repair or restore its files (aml <path> backup restore --backup-id <id>), then prune again.";
    }

    /** @return the agents read, sorted */
    public List<AgentItems> agents() {
        return agents;
    }

    /** @return one line per agent left out */
    public List<String> errors() {
        return errors;
    }

    /** @return where sizes at rest come from */
    public Sizes sizes() {
        return sizes;
    }

    /**
     * @param dir a directory
     * @return the bytes of every regular file under it, recursively; empty if it cannot be listed
     */
    public static OptionalLong bytesUnder(Path dir) {
        return FileSizes.sum(dir);
    }

    /**
     * Sizes of the files under a memory root, like the reference (every regular file, recursively),
     * each measured once; thread-safe, as the planner asks for them from all cores.
     */
    static final class FileSizes implements Sizes {
        private final Path root;
        private final Map<String, OptionalLong> cache = new ConcurrentHashMap<>();

        FileSizes(Path root) {
            this.root = root;
        }

        @Override
        public OptionalLong agentBytes(AgentId agent) {
            return cache.computeIfAbsent(agent.name(), n -> sum(root.resolve(n)));
        }

        @Override
        public OptionalLong globalBytes() {
            return cache.computeIfAbsent("", n -> sum(root));
        }

        static OptionalLong sum(Path dir) {
            if (!Files.isDirectory(dir)) {
                return OptionalLong.empty();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                return OptionalLong.of(files.mapToLong(FileSizes::size).sum());
            } catch (IOException | UncheckedIOException e) {
                return OptionalLong.empty();
            }
        }

        private static long size(Path p) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                return a.isRegularFile() ? a.size() : 0;
            } catch (IOException e) {
                return 0;
            }
        }
    }
}
