package dev.aml.store.internal;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.internal.ItemTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A change as a journal batch ({@link JournalFormat}) holds it: most changes as themselves
 * ({@link Plain}); a replacement that only drops items as a {@link Retain}. Replay
 * {@linkplain #resolve resolves} each against the table it has rebuilt so far.
 *
 * <h2>Retains</h2>
 * A <em>retain</em> is how a {@link Change.ReplaceAll} whose new list keeps some of the current
 * items in their order and adds none (a prune, a garbage collection), and which is the first change
 * of its batch to that list, is written: the positions and ids of the items it drops from the list
 * as it was ({@code baseSize} items whose ids have the CRC32C {@code baseIds}), instead of every
 * item it keeps. A prune of half a 150 MB tree writes
 * about 3 MB instead of 70 MB, and the item files the checkpoint then writes are the only copy of
 * the survivors that is encoded. Replay makes the same list from the same base; if the base differs
 * (an item file edited by another program while the entry waited for its checkpoint), the items
 * with the recorded ids are dropped instead, and a warning says so ({@link Retain#resolve}); so a
 * replacement that drops one copy of a duplicate id and keeps another is written in full.
 */
public sealed interface LoggedChange permits LoggedChange.Plain, LoggedChange.Retain {

    /** @return the agent whose items change */
    AgentId agent();

    /** @return the kind of item that changes */
    ItemKind kind();

    /**
     * @param table the table as replay has rebuilt it so far (entries before this one applied)
     * @return the change to apply to it
     */
    Change resolve(ItemTable table);

    /**
     * A change written as itself.
     *
     * @param change the change
     */
    public record Plain(Change change) implements LoggedChange {
        @Override
        public AgentId agent() {
            return change.agent();
        }

        @Override
        public ItemKind kind() {
            return change.kind();
        }

        @Override
        public Change resolve(ItemTable table) {
            return change;
        }
    }

    /**
     * A {@link Change.ReplaceAll} that keeps the items of the base list except those at
     * {@code removedPositions} (ascending), in their order.
     *
     * @param agent the agent
     * @param kind the kind
     * @param baseSize how many items the base list held
     * @param baseIds the {@linkplain LoggedChange#idsChecksum CRC32C of the base list's ids}
     * @param removedPositions positions in the base list of the items dropped, ascending
     * @param removedIds their ids, in the same order
     * @param where the entry, for the warning of a base that differs (empty for one being written)
     */
    public record Retain(AgentId agent, ItemKind kind, int baseSize, int baseIds, int[] removedPositions,
            List<String> removedIds, String where) implements LoggedChange {

        private static final Logger LOG = LoggerFactory.getLogger(LoggedChange.class);

        /**
         * @param change a replacement
         * @param base the list it replaces, as it is before the change (empty: none known)
         * @return the retain that writes it, or null when it must be written in full: its items are
         *     not a non-empty sequence of {@code base}'s own objects in their order, or it keeps an item
         *     with the id of one it drops (duplicate ids, as garbage collection's de-duplication leaves
         *     them: replayed over an edited file, the by-id fallback would remove the kept copy too)
         */
        static @Nullable Retain of(Change.ReplaceAll change, List<MemoryItem> base) {
            int[] removed = removedFrom(base, change.items());
            if (removed == null) {
                return null;
            }
            List<String> ids = new ArrayList<>(removed.length);
            for (int position : removed) {
                ids.add(base.get(position).id());
            }
            Set<String> gone = new HashSet<>(ids);
            for (MemoryItem item : change.items()) {
                if (gone.contains(item.id())) {
                    return null;
                }
            }
            return new Retain(change.agent(), change.kind(), base.size(), idsChecksum(base), removed,
                    List.copyOf(ids), "");
        }

        /**
         * Keeps the base's items except the removed ones. If the table's list is not the base the
         * entry was written against (its size, ids checksum or an id at a removed position differ),
         * every item with one of the removed ids is dropped instead, which is what the change meant,
         * and a warning names the list.
         */
        @Override
        public Change resolve(ItemTable table) {
            List<MemoryItem> base = table.items(agent, kind);
            List<MemoryItem> kept = new ArrayList<>(Math.max(0, base.size() - removedPositions.length));
            if (matches(base)) {
                int next = 0;
                for (int i = 0; i < base.size(); i++) {
                    if (next < removedPositions.length && removedPositions[next] == i) {
                        next++;
                    } else {
                        kept.add(base.get(i));
                    }
                }
            } else {
                Set<String> gone = new HashSet<>(removedIds);
                for (MemoryItem item : base) {
                    if (!gone.contains(item.id())) {
                        kept.add(item);
                    }
                }
                LOG.warn("{}: the {} list of agent '{}' is not the one this entry was written against ({} items"
                        + " now, {} then, or other ids; the item file was changed by another program before the"
                        + " entry was checkpointed): the {} item(s) it removes were removed by id instead, {} left",
                        where, kind.label(), agent, base.size(), baseSize, removedIds.size(), kept.size());
            }
            return Change.replaceAll(agent, kind, kept);
        }

        private boolean matches(List<MemoryItem> base) {
            if (base.size() != baseSize || idsChecksum(base) != baseIds) {
                return false;
            }
            for (int i = 0; i < removedPositions.length; i++) {
                if (!base.get(removedPositions[i]).id().equals(removedIds.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Retain r && agent.equals(r.agent) && kind == r.kind && baseSize == r.baseSize
                    && baseIds == r.baseIds && Arrays.equals(removedPositions, r.removedPositions)
                    && removedIds.equals(r.removedIds);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(agent, kind, baseSize, baseIds, Arrays.hashCode(removedPositions),
                    removedIds);
        }

        @Override
        public String toString() {
            return "Retain[" + agent + "/" + kind.label() + ": " + removedIds.size() + " of " + baseSize
                    + " removed]";
        }
    }

    /**
     * @param items a list
     * @return the CRC32C of its ids, each followed by a zero byte
     */
    static int idsChecksum(List<? extends MemoryItem> items) {
        CRC32C crc = new CRC32C();
        for (MemoryItem item : items) {
            crc.update(item.id().getBytes(StandardCharsets.UTF_8));
            crc.update(0);
        }
        return (int) crc.getValue();
    }

    /**
     * @param base a list
     * @param kept another
     * @return the positions (ascending) of the items of {@code base} that are not in {@code kept}, if
     *     {@code kept} is a non-empty sequence of {@code base}'s own objects in their order; else null
     */
    private static int @Nullable [] removedFrom(List<MemoryItem> base, List<MemoryItem> kept) {
        if (kept.isEmpty() || kept.size() > base.size()) {
            return null;
        }
        int[] removed = new int[base.size() - kept.size()];
        int r = 0;
        int b = 0;
        for (MemoryItem item : kept) {
            while (b < base.size() && base.get(b) != item) {
                if (r == removed.length) {
                    return null; // more items skipped than the lengths allow: not a subsequence
                }
                removed[r++] = b++;
            }
            if (b == base.size()) {
                return null;
            }
            b++;
        }
        while (b < base.size()) {
            removed[r++] = b++;
        }
        return removed;
    }
}
