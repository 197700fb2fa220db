package dev.aml.store.internal;

import dev.aml.core.AgentId;
import dev.aml.core.CorruptDataException;
import dev.aml.core.CorruptDataException.PositionKind;
import dev.aml.core.ItemKind;
import dev.aml.core.internal.ItemTable;
import dev.aml.loom.LoomJson;
import dev.aml.store.FileMemoryStore;
import dev.aml.store.internal.TreeFiles.FileState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a memory tree for {@link dev.aml.store.FileMemoryStore}: lists the agent folders, reads every
 * item file (an unreadable one marks its agent unreadable, never empty), replays the journal over
 * them and reports what it found ({@link Loaded}). Reading only: the store decides what to do with
 * the result (take the lock, open the journal writer, checkpoint).
 */
public final class TreeLoader {

    /** Suffix of the store's temporary files (a checkpoint's, before its rename). */
    public static final String TMP_SUFFIX = ".aml-tmp";

    private static final Logger LOG = LoggerFactory.getLogger(FileMemoryStore.class);

    /**
     * What loading the tree produced.
     *
     * @param table the items
     * @param unreadable agents whose files could not be read, with the reason
     * @param dirty item files that differ from the loaded state (journal replayed over them)
     * @param fileStates the state of every item file as loaded
     * @param fileNames the file each item list was read from (plain or {@code .gz})
     * @param lastSeq the last journal sequence number
     * @param checkpointedSeq the sequence number the files hold
     * @param pinned whether the journal must be kept (it holds what the files do not)
     * @param journalProblem damage found in the journal, if any
     */
    public record Loaded(ItemTable table, Map<AgentId, CorruptDataException> unreadable, Set<ListKey> dirty,
            Map<ListKey, FileState> fileStates, Map<ListKey, Path> fileNames, long lastSeq, long checkpointedSeq,
            boolean pinned, @Nullable CorruptDataException journalProblem) {
    }

    /**
     * What the journal says before any item file is read: enough to open a store whose item files
     * are read later ({@link #loadTree}), when the journal has nothing to replay over them.
     *
     * @param entries the decoded entries up to any damage
     * @param checkpointSeq the sequence number the item files hold (the last checkpoint's)
     * @param excluded agents that last checkpoint did not write (unreadable then)
     * @param readInstead temp files a read-only reader reads instead of their targets (a writer's
     *     checkpoint in progress); empty for a read-write store, which completed those renames
     * @param lastSeq the last sequence number in the journal
     * @param validLength the journal's valid length
     * @param problem damage found in the journal, if any
     */
    public record JournalState(List<JournalFormat.Entry> entries, long checkpointSeq, Set<String> excluded,
            Map<Path, Path> readInstead, long lastSeq, long validLength, @Nullable CorruptDataException problem) {

        /** @return whether the journal holds changes (batches) that replay would apply over the item files */
        public boolean needsReplay() {
            for (JournalFormat.Entry e : entries) {
                if (e instanceof JournalFormat.Batch) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Path root;
    private final LoomJson json;
    private final boolean readOnly;
    private final FileOps fileOps;

    /**
     * @param root the memory root
     * @param json how item files are read
     * @param readOnly whether the store is read-only (then nothing is deleted while loading)
     * @param fileOps the file operations (tests inject faults)
     */
    public TreeLoader(Path root, LoomJson json, boolean readOnly, FileOps fileOps) {
        this.root = root;
        this.json = json;
        this.readOnly = readOnly;
        this.fileOps = fileOps;
    }


    /** @return the journal file of the tree */
    public Path journalFile() {
        return root.resolve("global").resolve(FileMemoryStore.JOURNAL_FILE);
    }

    /**
     * Loads the tree for a read-only reader: replays the journal over the item files, retrying while
     * a writer trims the journal meanwhile (a read-write store calls {@link #readJournal} and
     * {@link #loadTree} itself, holding the lock).
     *
     * @return what loading produced
     * @throws IOException if a file cannot be read
     */
    public Loaded load() throws IOException {
        for (int attempt = 0; ; attempt++) {
            Object before = journalIdentity();
            Loaded loaded = loadOnce();
            // a read-only reader may race with the writer's journal trim; retry for a consistent view
            if (attempt >= 4 || Objects.equals(before, journalIdentity())) {
                return loaded;
            }
        }
    }

    private @Nullable Object journalIdentity() throws IOException {
        FileState s = FileState.of(journalFile());
        return s.exists() ? s.key() != null ? s.key() : s.modified() : null;
    }

    private Loaded loadOnce() throws IOException {
        return loadTree(readJournal());
    }

    /**
     * Reads and checks the journal and, for a read-write store, completes the renames of an
     * interrupted checkpoint. Reads no item file.
     *
     * @return what the journal says
     * @throws IOException if the journal cannot be read or a rename cannot be completed
     */
    public JournalState readJournal() throws IOException {
        Path jf = journalFile();
        byte[] journalBytes = JournalWriter.readIfExists(jf);
        JournalFormat.Scan scan = JournalFormat.scan(journalBytes);
        CorruptDataException problem = null;
        long validLength = scan.validLength();
        if (scan.corruptAt() >= 0) {
            problem = new CorruptDataException("The journal " + jf + " is damaged at byte " + scan.corruptAt()
                    + (scan.corruptAt() == 0 ? " (not an AML journal header)" : " and valid entries follow the damage")
                    + ", so replaying it could lose acknowledged writes. Nothing was changed and the store was not "
                    + "opened for writing. Open it read-only (FileMemoryStore.builder(root).readOnly(true)) to inspect "
                    + "and back up the tree, then move the journal aside to continue without its later entries.",
                    jf, scan.corruptAt(), PositionKind.BYTE_OFFSET, null);
            LOG.warn(problem.getMessage());
        } else if (scan.tornBytes() > 0) {
            LOG.warn("Journal {}: dropping a torn tail of {} bytes at byte {} (a write interrupted by a crash; it was "
                    + "never acknowledged as durable)", jf, scan.tornBytes(), scan.validLength());
        }
        List<JournalFormat.Entry> entries = new ArrayList<>();
        for (JournalFormat.RawEntry raw : scan.entries()) {
            try {
                entries.add(JournalFormat.decode(raw.payload(), raw.offset(), jf));
            } catch (CorruptDataException e) {
                problem = e;
                validLength = raw.offset();
                break;
            }
        }
        JournalFormat.Checkpoint last = null;
        for (JournalFormat.Entry e : entries) {
            if (e instanceof JournalFormat.Checkpoint c && (last == null || c.seq() >= last.seq())) {
                last = c;
            }
        }
        long checkpointSeq = last == null ? 0 : last.seq();
        Set<String> excluded = last == null ? Set.of() : last.excludedAgents();
        Map<Path, Path> readInstead = new HashMap<>();
        if (last != null) {
            for (JournalFormat.Rename r : last.renames()) {
                Path tmp = resolveInside(r.tmp());
                Path target = resolveInside(r.target());
                if (Files.exists(tmp, LinkOption.NOFOLLOW_LINKS)) {
                    if (readOnly) {
                        readInstead.put(target, tmp);
                    } else {
                        LOG.info("Completing an interrupted checkpoint: {} -> {}", tmp, target);
                        fileOps.move(tmp, target);
                        fileOps.fsyncDirectory(FileOps.directoryOf(target));
                    }
                }
            }
        }

        long lastSeq = checkpointSeq;
        for (JournalFormat.Entry e : entries) {
            lastSeq = Math.max(lastSeq, e.seq());
        }
        return new JournalState(List.copyOf(entries), checkpointSeq, excluded, readInstead, lastSeq, validLength,
                problem);
    }

    /**
     * Reads every item file (agents in parallel) and replays the journal over them.
     *
     * @param journal what {@link #readJournal} found
     * @return the loaded tree
     * @throws IOException if the memory root cannot be listed
     */
    public Loaded loadTree(JournalState journal) throws IOException {
        long checkpointSeq = journal.checkpointSeq();
        Set<String> excluded = journal.excluded();
        Map<Path, Path> readInstead = journal.readInstead();
        ItemTable t = new ItemTable();
        Map<AgentId, CorruptDataException> bad = new TreeMap<>();
        Map<ListKey, FileState> states = new HashMap<>();
        Map<ListKey, Path> names = new HashMap<>();
        if (Files.isDirectory(root)) {
            // agents are independent: parse their files in parallel, then assemble in name order
            List<AgentLoad> loads;
            try {
                loads = listAgents().parallelStream().map(a -> loadAgent(a, readInstead)).toList();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            for (AgentLoad load : loads) {
                t.addAgent(load.agent);
                for (ItemKind kind : ItemKind.values()) {
                    ListKey key = new ListKey(load.agent, kind);
                    names.put(key, load.files.get(kind));
                    states.put(key, load.states.get(kind));
                    ItemTable.Indexed items = load.items.get(kind);
                    if (load.problem == null && items != null) {
                        t.load(load.agent, kind, items);
                    }
                }
                if (load.problem != null) {
                    bad.put(load.agent, load.problem);
                    LOG.warn("Agent '{}' is unreadable and will not be read or written: {}", load.agent,
                            load.problem.getMessage());
                }
            }
        }

        Set<ListKey> changed = new LinkedHashSet<>();
        long seq = checkpointSeq;
        boolean pinned = false;
        for (JournalFormat.Entry e : journal.entries()) {
            seq = Math.max(seq, e.seq());
            if (!(e instanceof JournalFormat.Batch b)) {
                continue;
            }
            for (LoggedChange c : b.changes()) {
                if (b.seq() <= checkpointSeq && !excluded.contains(c.agent().name())) {
                    continue;
                }
                if (bad.containsKey(c.agent())) {
                    pinned = true;
                    continue;
                }
                t.apply(c.resolve(t));
                changed.add(new ListKey(c.agent(), c.kind()));
            }
        }
        return new Loaded(t, bad, changed, states, names, seq, checkpointSeq, pinned, journal.problem());
    }

    /** The files of one agent as read at open. */
    private record AgentLoad(AgentId agent, Map<ItemKind, Path> files, Map<ItemKind, FileState> states,
            Map<ItemKind, ItemTable.Indexed> items, @Nullable CorruptDataException problem) {
    }

    private AgentLoad loadAgent(AgentId agent, Map<Path, Path> readInstead) {
        Path dir = root.resolve(agent.name());
        Map<ItemKind, Path> files = new java.util.EnumMap<>(ItemKind.class);
        Map<ItemKind, FileState> states = new java.util.EnumMap<>(ItemKind.class);
        Map<ItemKind, ItemTable.Indexed> items = new java.util.EnumMap<>(ItemKind.class);
        CorruptDataException problem = null;
        try {
            if (!readOnly) {
                deleteStaleTemps(dir);
            }
            for (ItemKind kind : ItemKind.values()) {
                Path file = dir.resolve(kind.fileName());
                if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                        && Files.exists(dir.resolve(kind.fileName() + ".gz"), LinkOption.NOFOLLOW_LINKS)) {
                    file = dir.resolve(kind.fileName() + ".gz");
                }
                files.put(kind, file);
                states.put(kind, FileState.ABSENT);
                if (problem != null) {
                    states.put(kind, FileState.of(file));
                    continue;
                }
                Path pending = readInstead.get(file);
                try {
                    byte[] data = null;
                    FileState state = FileState.ABSENT;
                    if (pending != null) {
                        // a read-only reader during the writer's checkpoint: the new content is in the temp
                        // file until the writer renames it over the item file
                        state = FileState.of(pending);
                        data = readOrNull(pending);
                    }
                    if (data == null) {
                        state = FileState.of(file);
                        data = state.exists() ? readOrNull(file) : null;
                    }
                    states.put(kind, state);
                    if (data != null) {
                        // indexed here, in parallel with the other agents, not while assembling the table
                        items.put(kind, ItemTable.index(json.read(data, kind, file.toString())));
                    }
                } catch (CorruptDataException e) {
                    problem = new CorruptDataException(e.getMessage(), file, e.position(), e.positionKind(), e);
                } catch (IOException | UncheckedIOException e) {
                    problem = new CorruptDataException("Cannot read " + file + " (" + e + "); agent '" + agent
                            + "' is unavailable until it can be read. The file was left untouched.", file, -1,
                            PositionKind.NONE, e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AgentLoad(agent, files, states, items, problem);
    }

    /** @return the file's bytes, or {@code null} if it does not exist (any more) */
    private static byte @Nullable [] readOrNull(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    /**
     * @return the valid agent folder names under the root, sorted (empty if the root is no folder)
     * @throws IOException if the root cannot be listed
     */
    public List<AgentId> listAgents() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<AgentId> agents = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(root)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (!Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (AgentId.isValid(name)) {
                    agents.add(AgentId.of(name));
                } else if (!AgentId.RESERVED.contains(name) && !name.startsWith(".")) {
                    LOG.debug("Ignoring folder {}: not a valid agent name", child);
                }
            }
        }
        Collections.sort(agents);
        return agents;
    }

    private void deleteStaleTemps(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "." + "*" + TMP_SUFFIX)) {
            for (Path f : files) {
                LOG.info("Removing a temp file left by an interrupted checkpoint: {}", f);
                Files.deleteIfExists(f);
            }
        }
    }

    private Path resolveInside(String relative) {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root)) {
            throw new CorruptDataException("The journal names a path outside the memory root: " + relative,
                    journalFile(), -1, PositionKind.NONE, null);
        }
        return p;
    }

    /**
     * @param p a path under the root
     * @return it relative to the root, with {@code /} separators (as the journal names files)
     */
    public String relative(Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }
}
