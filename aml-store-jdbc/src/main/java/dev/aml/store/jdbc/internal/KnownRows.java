package dev.aml.store.jdbc.internal;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The rows this store instance last read or wrote, so that an update can start from them without a
 * read: the one-round-trip update sends the document it started from, and the server writes only if
 * the row still holds exactly that document.
 *
 * <h2>Why stale entries are harmless</h2>
 * An entry is a guess, never the truth: another process may have changed the row a moment later, and
 * this cache would not know. Every use is checked by the server ({@code update_item} compares the
 * whole document and the position), so a stale entry costs one failed round trip and a locked retry,
 * never a lost update. That is why entries need no invalidation from other processes, and why
 * dropping them is always safe: {@link #forget} drops what this instance's own writes may have made
 * stale, and a full cache is simply cleared.
 *
 * <h2>Bounds</h2>
 * At most {@value #MAX_ROWS} entries. A row written by an update is always remembered (clearing the
 * cache first if it is full: updates of the same items repeat); rows met by bulk reads only while there
 * is room, so a large list read never pushes out the rows being updated.
 *
 * <p>Thread-safe.
 */
public final class KnownRows {

    /**
     * A row as this store last read or wrote it.
     *
     * @param position where it is in its list
     * @param doc its exact document
     * @param item the document decoded
     */
    public record Row(long position, String doc, MemoryItem item) {
    }

    /** How many rows' last known documents an instance keeps. */
    public static final int MAX_ROWS = 10_000;

    private final Map<String, Row> rows = new ConcurrentHashMap<>();

    /**
     * @param agent the agent
     * @param kind the kind
     * @param id the id
     * @return the first row of that id as last seen, or {@code null}
     */
    public @Nullable Row get(AgentId agent, ItemKind kind, String id) {
        return rows.get(key(agent, kind, id));
    }

    /**
     * Remembers a row this store just wrote.
     *
     * @param agent the agent
     * @param kind the kind
     * @param id the id
     * @param row the row as written
     */
    public void written(AgentId agent, ItemKind kind, String id, Row row) {
        if (rows.size() >= MAX_ROWS) {
            rows.clear();
        }
        rows.put(key(agent, kind, id), row);
    }

    /**
     * Remembers a row met by a read, while there is room.
     *
     * @param agent the agent
     * @param kind the kind
     * @param id the id
     * @param row the row as read (the first of its id)
     */
    public void read(AgentId agent, ItemKind kind, String id, Row row) {
        if (rows.size() < MAX_ROWS) {
            rows.put(key(agent, kind, id), row);
        }
    }

    /**
     * Drops what committed {@code changes} may have made stale and remembers the rows a replaced list
     * now holds (their positions are known).
     *
     * @param changes the committed changes
     * @param docs the documents of the changes' items, in order (upserts' items and replaced lists'
     *     items), as they were written
     */
    public void forget(List<Change> changes, List<String> docs) {
        int doc = 0;
        for (Change change : changes) {
            if (change instanceof Change.Upsert u) {
                doc++;
                rows.remove(key(change.agent(), change.kind(), u.item().id()));
            } else if (change instanceof Change.Delete d) {
                rows.remove(key(change.agent(), change.kind(), d.id()));
            } else if (change instanceof Change.ReplaceAll r) {
                String prefix = key(change.agent(), change.kind(), "");
                if (!rows.isEmpty()) {
                    rows.keySet().removeIf(k -> k.startsWith(prefix));
                }
                Set<String> seen = new HashSet<>();
                long position = 0;
                for (MemoryItem item : r.items()) {
                    // the first row of an id is the one updates find
                    if (seen.add(item.id())) {
                        read(change.agent(), change.kind(), item.id(), new Row(position, docs.get(doc), item));
                    }
                    position++;
                    doc++;
                }
            }
        }
    }

    private static String key(AgentId agent, ItemKind kind, String id) {
        return agent.name() + '\u0000' + kind.label() + '\u0000' + id;
    }
}
