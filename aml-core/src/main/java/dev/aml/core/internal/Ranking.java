package dev.aml.core.internal;

import dev.aml.core.AgentId;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.Rank;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The one definition of result order shared by every built-in index: a rank key per item (higher is
 * better) or the caller's comparator, then agent name, kind and id as tie-breakers, so that any two
 * indexes that find the same candidates return the same list.
 */
public final class Ranking {

    private Ranking() {
    }

    /**
     * @param rank the rank (not {@link Rank#CUSTOM})
     * @param item the item
     * @param now the ranking time
     * @return the item's key; higher ranks first
     */
    public static double key(Rank rank, MemoryItem item, Instant now) {
        switch (rank) {
            case WEIGHT:
                return item.weight(now);
            case SUCCESS_RATE:
                return item.successRate();
            case CONFIDENCE:
                return item.confidence();
            case RECENCY:
                Instant t = item.lastUsed();
                return t == null ? Double.NEGATIVE_INFINITY : t.getEpochSecond() + t.getNano() / 1e9;
            case USAGE:
                return item.executionCount();
            default:
                return 0;
        }
    }

    /**
     * Orders two candidates: negative when {@code a} ranks before {@code b}.
     *
     * @param order the caller's comparator, or {@code null} to compare keys
     * @param keyA key of a
     * @param agentA agent of a
     * @param a item a
     * @param keyB key of b
     * @param agentB agent of b
     * @param b item b
     * @return the comparison
     */
    static int compare(@Nullable Comparator<? super MemoryItem> order, double keyA, AgentId agentA, MemoryItem a,
            double keyB, AgentId agentB, MemoryItem b) {
        int c = order != null ? order.compare(a, b) : Double.compare(keyB, keyA);
        if (c != 0) {
            return c;
        }
        c = agentA.compareTo(agentB);
        if (c != 0) {
            return c;
        }
        c = a.kind().compareTo(b.kind());
        return c != 0 ? c : a.id().compareTo(b.id());
    }

    /**
     * @param query the query
     * @return how many best results a top-k pass must keep: offset + limit, capped
     */
    static int wanted(MemoryQuery query) {
        return (int) Math.min(Integer.MAX_VALUE - 8, (long) query.offset() + query.limit());
    }

    /**
     * The best {@code capacity} candidates seen so far, as a binary heap whose root is the worst kept
     * candidate. Arrays, not objects per entry, so that offering is allocation-free.
     */
    static final class TopK {
        private final int capacity;
        private final @Nullable Comparator<? super MemoryItem> order;
        private double[] keys;
        private AgentId[] agents;
        private MemoryItem[] items;
        private int size;

        TopK(int capacity, @Nullable Comparator<? super MemoryItem> order) {
            this.capacity = capacity;
            this.order = order;
            int initial = Math.min(capacity, 64);
            keys = new double[initial];
            agents = new AgentId[initial];
            items = new MemoryItem[initial];
        }

        boolean full() {
            return size == capacity;
        }

        /** @return the key of the worst kept candidate (meaningful when {@link #full()}) */
        double worstKey() {
            return keys[0];
        }

        void offer(double key, AgentId agent, MemoryItem item) {
            if (size < capacity) {
                if (size == keys.length) {
                    int n = (int) Math.min(capacity, (long) size * 2);
                    keys = Arrays.copyOf(keys, n);
                    agents = Arrays.copyOf(agents, n);
                    items = Arrays.copyOf(items, n);
                }
                set(size, key, agent, item);
                siftUp(size++);
            } else if (worse(0, key, agent, item)) {
                set(0, key, agent, item);
                siftDown(0);
            }
        }

        /** @return whether the kept candidate at {@code i} ranks after the given one */
        private boolean worse(int i, double key, AgentId agent, MemoryItem item) {
            return compare(order, keys[i], agents[i], items[i], key, agent, item) > 0;
        }

        private boolean worse(int i, int j) {
            return compare(order, keys[i], agents[i], items[i], keys[j], agents[j], items[j]) > 0;
        }

        private void set(int i, double key, AgentId agent, MemoryItem item) {
            keys[i] = key;
            agents[i] = agent;
            items[i] = item;
        }

        private void swap(int i, int j) {
            double k = keys[i];
            keys[i] = keys[j];
            keys[j] = k;
            AgentId a = agents[i];
            agents[i] = agents[j];
            agents[j] = a;
            MemoryItem it = items[i];
            items[i] = items[j];
            items[j] = it;
        }

        private void siftUp(int i) {
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!worse(i, parent)) {
                    return;
                }
                swap(i, parent);
                i = parent;
            }
        }

        private void siftDown(int i) {
            while (true) {
                int l = 2 * i + 1;
                if (l >= size) {
                    return;
                }
                int r = l + 1;
                int worst = r < size && worse(r, l) ? r : l;
                if (!worse(worst, i)) {
                    return;
                }
                swap(i, worst);
                i = worst;
            }
        }

        /**
         * Empties the heap.
         *
         * @param offset how many of the best to skip
         * @param limit the most to return
         * @return the kept candidates best first, after the offset, as an immutable list
         */
        List<MemoryItem> drain(int offset, int limit) {
            int n = size;
            MemoryItem[] sorted = new MemoryItem[n];
            while (size > 0) {
                sorted[--size] = items[0];
                set(0, keys[size], agents[size], items[size]);
                siftDown(0);
            }
            if (offset >= n) {
                return List.of();
            }
            int end = (int) Math.min(n, (long) offset + limit);
            List<MemoryItem> out = new ArrayList<>(end - offset);
            for (int i = offset; i < end; i++) {
                out.add(sorted[i]);
            }
            return Collections.unmodifiableList(out);
        }
    }
}
