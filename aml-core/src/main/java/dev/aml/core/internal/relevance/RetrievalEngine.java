package dev.aml.core.internal.relevance;

import dev.aml.core.AgentId;
import dev.aml.core.AmlException;
import dev.aml.core.Change;
import dev.aml.core.CorruptDataException;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.MemoryStore;
import dev.aml.core.relevance.Embedder;
import dev.aml.core.relevance.Explanation;
import dev.aml.core.relevance.RelevanceConfig;
import dev.aml.core.relevance.RelevanceScorer;
import dev.aml.core.relevance.RelevanceScorer.Score;
import dev.aml.core.relevance.ScoredItem;
import dev.aml.core.relevance.Situation;
import dev.aml.core.relevance.VectorPersistence;
import dev.aml.core.relevance.VectorSnapshot;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relevance engine behind {@link dev.aml.core.relevance.Retrieval}: follows a store like the
 * query index does, proposes candidates from its indexes, scores them with every scorer and ranks
 * them by the combined score documented on {@link RelevanceConfig}.
 *
 * <h2>Staying in sync</h2>
 * The engine is a change listener of the store, registered before its first load. For each change
 * it re-reads what the change touched from the store (the payload is not trusted: concurrent writers
 * may deliver changes out of order) and installs it under its write lock, reading inside the lock, so
 * whatever is installed is the store's state at that moment and the last listener to run installs
 * the newest state. A failed update (the store could not be read) marks the engine behind and the
 * next query rebuilds it first. Vectors are not computed in the listener (embedding takes
 * milliseconds and the listener runs on the writer's thread): a query with an embedder first embeds
 * the items whose text changed, outside the lock, then installs their vectors.
 *
 * <h2>Candidates</h2>
 * A query scores only candidates: items with a query term (BM25 postings), items whose type is
 * similar to the situation's type or error type, items sharing a context pair with it, and with an
 * embedder the {@link RelevanceConfig#semanticCandidates()} nearest vectors. An item that is none of
 * these has relevance 0 for the built-in scorers, so nothing with a positive relevance is missed by
 * them; user scorers see the same candidates.
 */
public final class RetrievalEngine {

    private static final Logger LOG = LoggerFactory.getLogger(RetrievalEngine.class);

    /** A user scorer with its weight. @param scorer the scorer @param weight its weight */
    public record Weighted(RelevanceScorer scorer, double weight) {
        /** Validates. */
        public Weighted {
            Objects.requireNonNull(scorer, "scorer");
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("weight of scorer '" + scorer.name()
                        + "' must be a finite number >= 0, was " + weight);
            }
        }
    }

    private final MemoryStore store;
    private final Clock clock;
    private final RelevanceConfig config;
    private final List<Weighted> userScorers;
    private final @Nullable Embedder embedder;
    private final VectorPersistence persistence;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final LexicalIndex lexical;
    private final @Nullable VectorIndex vectors;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    private volatile boolean behind;
    /** Vectors changed since they were last saved. */
    private volatile boolean vectorsDirty;
    /** Stored vectors exist but could not be read: not overwritten until an explicit rebuild. */
    private volatile boolean persistenceUnreadable;

    private static final class Scratch {
        double[] acc = new double[0];
        int[] touched = new int[0];

        void ensure(int n) {
            if (acc.length < n) {
                acc = new double[Math.max(n, acc.length * 2)];
                touched = new int[acc.length];
            }
        }
    }

    /**
     * Registers for the store's changes and loads everything.
     *
     * @param store the store
     * @param clock the ranking time
     * @param config the scoring settings
     * @param userScorers extra scorers
     * @param embedder the embedder, or null for lexical-only retrieval
     * @param persistence where vectors are kept between runs
     */
    public RetrievalEngine(MemoryStore store, Clock clock, RelevanceConfig config, List<Weighted> userScorers,
            @Nullable Embedder embedder, VectorPersistence persistence) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config");
        this.userScorers = List.copyOf(userScorers);
        Set<String> names = new HashSet<>(Set.of(RelevanceScorer.LEXICAL, RelevanceScorer.SEMANTIC,
                RelevanceScorer.CONTEXT, RelevanceScorer.TYPE));
        for (Weighted w : this.userScorers) {
            if (!names.add(w.scorer().name())) {
                throw new IllegalArgumentException("scorer name '" + w.scorer().name() + "' is used twice; give"
                        + " each scorer a unique name");
            }
        }
        this.embedder = embedder;
        this.persistence = Objects.requireNonNull(persistence, "persistence");
        this.lexical = new LexicalIndex(config.bm25K1(), config.bm25B());
        if (embedder != null && embedder.dimension() < 1) {
            throw new IllegalArgumentException("embedder '" + embedder.modelId() + "' reports dimension "
                    + embedder.dimension());
        }
        this.vectors = embedder == null ? null : new VectorIndex(embedder.dimension());
        store.addChangeListener(this::changed);
        load();
        if (embedder != null) {
            loadVectors();
        }
    }

    // ------------------------------------------------------------------ sync

    private void load() {
        lock.writeLock().lock();
        try {
            lexical.clear();
            for (AgentId agent : store.agents()) {
                for (ItemKind kind : ItemKind.values()) {
                    reloadKind(agent, kind);
                }
            }
            behind = false;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Follows the store: re-reads what the changes touched.
     *
     * @param changes the changes the store applied
     */
    public void changed(List<Change> changes) {
        lock.writeLock().lock();
        try {
            for (Change c : changes) {
                if (c instanceof Change.ReplaceAll) {
                    reloadKind(c.agent(), c.kind());
                } else {
                    String id = c instanceof Change.Upsert u ? u.item().id() : ((Change.Delete) c).id();
                    DocKey key = new DocKey(c.agent(), c.kind(), id);
                    Optional<MemoryItem> now = store.find(c.agent(), c.kind(), id);
                    if (now.isPresent()) {
                        lexical.put(key, now.get());
                    } else {
                        lexical.remove(key);
                        if (vectors != null && vectors.textHash(key) != null) {
                            vectors.remove(key);
                            vectorsDirty = true;
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            // a listener must not throw into the writer; rebuild before the next query instead
            behind = true;
            LOG.warn("Relevance index failed to apply {} change(s); it will be rebuilt before the next query",
                    changes.size(), e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Replaces the documents of one agent's kind with the store's items (first occurrence of each id). */
    private void reloadKind(AgentId agent, ItemKind kind) {
        List<DocKey> old = new ArrayList<>();
        for (LexicalIndex.Doc d : lexical.docs()) {
            if (d.key.agent().equals(agent) && d.key.kind() == kind) {
                old.add(d.key);
            }
        }
        List<MemoryItem> items;
        try {
            items = store.items(agent, kind);
        } catch (CorruptDataException e) {
            items = List.of(); // queries over every agent leave unreadable agents out, as the query index does
        }
        Set<DocKey> now = new HashSet<>();
        for (MemoryItem item : items) {
            DocKey key = new DocKey(agent, kind, item.id());
            if (now.add(key)) {
                lexical.put(key, item);
            }
        }
        for (DocKey k : old) {
            if (!now.contains(k)) {
                lexical.remove(k);
                if (vectors != null && vectors.textHash(k) != null) {
                    vectors.remove(k);
                    vectorsDirty = true;
                }
            }
        }
    }

    /**
     * Reads the whole store again and, with an embedder, recomputes every vector and saves them
     * (also over stored vectors that could not be read). Optimize's "index" calls it.
     */
    public void rebuild() {
        load();
        if (embedder != null && vectors != null) {
            lock.writeLock().lock();
            try {
                vectors.clear();
            } finally {
                lock.writeLock().unlock();
            }
            persistenceUnreadable = false;
            vectorsDirty = true;
            embedPending();
            saveVectors();
        }
    }

    // ------------------------------------------------------------------ vectors

    private void loadVectors() {
        Embedder e = Objects.requireNonNull(embedder);
        VectorIndex v = Objects.requireNonNull(vectors);
        Optional<VectorSnapshot> snap;
        try {
            snap = persistence.load();
        } catch (AmlException ex) {
            persistenceUnreadable = true;
            LOG.warn("Stored vectors in {} cannot be read ({}); they are recomputed in memory and the file is left"
                    + " untouched until the index is rebuilt ('optimize index')", persistence.describe(),
                    ex.getMessage());
            return;
        }
        if (snap.isEmpty()) {
            return;
        }
        VectorSnapshot s = snap.get();
        if (!s.modelId().equals(e.modelId()) || s.dimension() != e.dimension()) {
            LOG.info("Stored vectors in {} come from model '{}' ({} dimensions), not '{}' ({}); recomputing",
                    persistence.describe(), s.modelId(), s.dimension(), e.modelId(), e.dimension());
            vectorsDirty = true;
            return;
        }
        lock.writeLock().lock();
        try {
            Map<String, DocKey> known = new HashMap<>();
            for (LexicalIndex.Doc d : lexical.docs()) {
                known.put(d.key.external(), d.key);
            }
            int taken = v.load(s, known);
            if (taken != s.size()) {
                vectorsDirty = true; // vectors of items that are gone: drop them at the next save
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Embeds every item whose text has no vector yet or changed since; outside the lock. */
    private void embedPending() {
        Embedder e = embedder;
        VectorIndex v = vectors;
        if (e == null || v == null) {
            return;
        }
        List<DocKey> keys = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<Long> hashes = new ArrayList<>();
        lock.readLock().lock();
        try {
            for (LexicalIndex.Doc d : lexical.docs()) {
                if (d.text.text().isBlank()) {
                    continue;
                }
                long h = textHash(d.text.text());
                Long have = v.textHash(d.key);
                if (have == null || have != h) {
                    keys.add(d.key);
                    texts.add(d.text.text());
                    hashes.add(h);
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        if (keys.isEmpty()) {
            return;
        }
        List<float[]> out = embedAll(texts);
        lock.writeLock().lock();
        try {
            for (int i = 0; i < keys.size(); i++) {
                LexicalIndex.Doc d = lexical.get(keys.get(i));
                if (d != null && textHash(d.text.text()) == hashes.get(i)) {
                    v.put(keys.get(i), hashes.get(i), out.get(i));
                }
            }
            vectorsDirty = true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private List<float[]> embedAll(List<String> texts) {
        Embedder e = Objects.requireNonNull(embedder);
        List<float[]> out;
        try {
            out = e.embedAll(texts);
        } catch (RuntimeException ex) {
            throw new AmlException("Embedder '" + e.modelId() + "' failed on " + texts.size() + " text(s): "
                    + ex.getMessage() + "; fix the embedder or configure retrieval without one", ex);
        }
        if (out == null || out.size() != texts.size()) {
            throw new AmlException("Embedder '" + e.modelId() + "' returned " + (out == null ? "null" : out.size())
                    + " vectors for " + texts.size() + " texts; fix the embedder");
        }
        for (float[] v : out) {
            if (v == null || v.length != e.dimension()) {
                throw new AmlException("Embedder '" + e.modelId() + "' returned a vector of "
                        + (v == null ? "null" : v.length) + " dimensions, it reports " + e.dimension()
                        + "; fix the embedder");
            }
        }
        return out;
    }

    /** Saves the vectors if they changed since the last save and the store is writable. */
    public void saveVectors() {
        Embedder e = embedder;
        VectorIndex v = vectors;
        if (e == null || v == null || !vectorsDirty || persistenceUnreadable || store.readOnly()) {
            return;
        }
        VectorSnapshot snap;
        lock.readLock().lock();
        try {
            snap = v.snapshot(e.modelId());
            vectorsDirty = false;
        } finally {
            lock.readLock().unlock();
        }
        persistence.save(snap);
    }

    /**
     * @param text embedded text
     * @return the first 8 bytes of its SHA-256, the sidecar's change detector
     */
    public static long textHash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (d[i] & 0xff);
            }
            return h;
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
    }

    // ------------------------------------------------------------------ queries

    /** @return the configuration */
    public RelevanceConfig config() {
        return config;
    }

    /** @return the embedder, if any */
    public Optional<Embedder> embedder() {
        return Optional.ofNullable(embedder);
    }

    /** @return how many items the lexical index holds (for tests and monitoring) */
    public int indexedItems() {
        lock.readLock().lock();
        try {
            return lexical.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * @param filter the query's filters, order and page (its rank is replaced by the combined score)
     * @param situation the situation
     * @return the results, best first
     */
    public List<ScoredItem> query(MemoryQuery filter, Situation situation) {
        return query(filter, situation, null, null);
    }

    /**
     * Items like one item: its type, context, text, tags and error as the situation, itself excluded.
     *
     * @param agent the agent holding the item
     * @param kind its kind
     * @param id its id
     * @param filter filters and page
     * @return similar items, best first; empty if the item has nothing to compare
     * @throws dev.aml.core.ItemNotFoundException if there is no such item
     */
    public List<ScoredItem> similarTo(AgentId agent, ItemKind kind, String id, MemoryQuery filter) {
        refreshIfBehind();
        DocKey key = new DocKey(agent, kind, id);
        LexicalIndex.Doc d;
        lock.readLock().lock();
        try {
            d = lexical.get(key);
        } finally {
            lock.readLock().unlock();
        }
        if (d == null) {
            throw new dev.aml.core.ItemNotFoundException("No " + kind.label() + " '" + id + "' in the memory of '"
                    + agent + "'; list ids with a query first");
        }
        Situation s;
        try {
            s = new Situation(d.text.type(), d.text.context(), d.text.text(), new LinkedHashSet<>(d.item.tags()),
                    d.text.errorType(), null);
        } catch (IllegalArgumentException empty) {
            return List.of();
        }
        return query(filter, s, key, null);
    }

    /**
     * @param id an item id
     * @return the first indexed item with that id (by agent, kind)
     */
    public Optional<DocKey> find(String id) {
        refreshIfBehind();
        lock.readLock().lock();
        try {
            DocKey best = null;
            for (LexicalIndex.Doc d : lexical.docs()) {
                if (d.key.id().equals(id) && (best == null || DocKey.ORDER.compare(d.key, best) < 0)) {
                    best = d.key;
                }
            }
            return Optional.ofNullable(best);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Loom's {@code matchesError}, as a ranked query: solutions whose error type matches (fuzzily, at
     * least {@value TypeScorer#FLOOR}) and, when a context is given and the solution has one, whose
     * context similarity reaches {@link RelevanceConfig#solutionContextThreshold()}; ranked by the
     * combined score, the message scored lexically instead of Loom's substring test.
     *
     * @param errorType the error type
     * @param message the message, or null
     * @param context the context, may be empty
     * @param filter filters and page (kinds are replaced by solutions)
     * @return matching solutions, best first
     */
    public List<ScoredItem> solutionsFor(String errorType, @Nullable String message, Map<String, ?> context,
            MemoryQuery filter) {
        Situation s = Situation.builder().error(Objects.requireNonNull(errorType, "errorType"), message)
                .context(context).build();
        double threshold = config.solutionContextThreshold();
        Predicate<LexicalIndex.Doc> hard = d -> {
            String et = d.text.errorType();
            if (et == null || TypeScorer.similarity(errorType, et) < TypeScorer.FLOOR) {
                return false;
            }
            if (s.context().isEmpty() || d.text.context().isEmpty()) {
                return true; // no context to contradict (Loom's 0/0 = NaN defect: never a match)
            }
            return ContextScorer.score(s.context(), d.text.context()).value() >= threshold;
        };
        return query(filter.withKinds(Set.of(ItemKind.SOLUTION)), s, null, hard);
    }

    private void refreshIfBehind() {
        if (behind) {
            load();
        }
    }

    private void checkAgents(MemoryQuery filter) {
        if (filter.agents().isEmpty()) {
            return;
        }
        Map<AgentId, CorruptDataException> unreadable = store.unreadableAgents();
        for (AgentId a : filter.agents()) {
            CorruptDataException e = unreadable.get(a);
            if (e != null) {
                throw e;
            }
        }
    }

    /**
     * @param s a situation
     * @return its distinct lexical terms, in order: text, type, error type and message, tags, string context values
     */
    public static List<String> queryTerms(Situation s) {
        LinkedHashSet<String> terms = new LinkedHashSet<>();
        for (String part : new String[] {s.text(), s.type(), s.errorType(), s.errorMessage()}) {
            if (part != null) {
                terms.addAll(Tokenizer.tokenize(part));
            }
        }
        for (String tag : s.tags()) {
            terms.addAll(Tokenizer.tokenize(tag));
        }
        for (Object v : s.context().values()) {
            if (v instanceof String str) {
                terms.addAll(Tokenizer.tokenize(str));
            }
        }
        return new ArrayList<>(terms);
    }

    /** @return the text embedded for a situation */
    static String situationText(Situation s) {
        StringBuilder sb = new StringBuilder();
        for (String part : new String[] {s.type(), s.text(), s.errorType(), s.errorMessage()}) {
            if (part != null) {
                sb.append(sb.length() > 0 ? ". " : "").append(part);
            }
        }
        if (!s.tags().isEmpty()) {
            sb.append(sb.length() > 0 ? ". " : "").append(String.join(", ", s.tags()));
        }
        for (Map.Entry<String, Object> e : s.context().entrySet()) {
            sb.append(sb.length() > 0 ? ". " : "").append(e.getKey()).append(' ').append(e.getValue());
        }
        return sb.toString();
    }

    /** One scored candidate. */
    private static final class Row {
        final LexicalIndex.Doc doc;
        double lexRaw;
        double score;
        double relevance;
        double weight;
        double[] values;
        Score[] scores;

        Row(LexicalIndex.Doc doc, double lexRaw) {
            this.doc = doc;
            this.lexRaw = lexRaw;
        }
    }

    private static final Comparator<Row> BEST_FIRST = (a, b) -> {
        int c = Double.compare(b.score, a.score);
        return c != 0 ? c : DocKey.ORDER.compare(a.doc.key, b.doc.key);
    };

    private List<ScoredItem> query(MemoryQuery filter, Situation s, @Nullable DocKey exclude,
            @Nullable Predicate<LexicalIndex.Doc> hard) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(s, "situation");
        checkAgents(filter);
        refreshIfBehind();
        List<String> terms = config.lexicalWeight() > 0 ? queryTerms(s) : List.of();
        float[] qv = null;
        if (embedder != null && vectors != null && config.semanticWeight() > 0) {
            embedPending();
            qv = VectorIndex.normalized(embedAll(List.of(situationText(s))).get(0));
        }
        Instant now = clock.instant();
        boolean hasType = config.typeWeight() > 0 && (s.type() != null || s.errorType() != null);
        boolean hasContext = config.contextWeight() > 0 && !s.context().isEmpty();
        List<Row> rows = new ArrayList<>();
        double maxLex = 0;
        lock.readLock().lock();
        try {
            LinkedHashMap<DocKey, Row> cand = new LinkedHashMap<>();
            Scratch sc = scratch.get();
            sc.ensure(lexical.capacity());
            int n = terms.isEmpty() ? 0 : lexical.score(terms, sc.acc, sc.touched);
            for (int i = 0; i < n; i++) {
                int o = sc.touched[i];
                LexicalIndex.Doc d = lexical.doc(o);
                cand.put(d.key, new Row(d, sc.acc[o]));
                sc.acc[o] = 0;
            }
            if (hasType) {
                for (Map.Entry<String, Set<DocKey>> t : lexical.types().entrySet()) {
                    if ((s.type() != null && TypeScorer.similarity(s.type(), t.getKey()) >= TypeScorer.FLOOR)
                            || (s.errorType() != null
                                    && TypeScorer.similarity(s.errorType(), t.getKey()) >= TypeScorer.FLOOR)) {
                        addCandidates(cand, t.getValue());
                    }
                }
            }
            if (hasContext) {
                for (Map.Entry<String, Object> e : s.context().entrySet()) {
                    addCandidates(cand, lexical.withContext(ItemText.contextKey(e.getKey(), e.getValue())));
                }
            }
            if (qv != null) {
                for (VectorIndex.Hit h : vectors.topK(qv, config.semanticCandidates())) {
                    addCandidates(cand, Set.of(h.key()));
                }
            }
            for (Row r : cand.values()) {
                LexicalIndex.Doc d = r.doc;
                if (d.key.equals(exclude) || !filter.matches(d.agent, d.item) || (hard != null && !hard.test(d))) {
                    continue;
                }
                rows.add(r);
                maxLex = Math.max(maxLex, r.lexRaw);
            }
            int k = filter.offset() + filter.limit();
            PriorityQueue<Row> heap = new PriorityQueue<>(k + 1, BEST_FIRST.reversed());
            for (Row r : rows) {
                score(r, s, terms, maxLex, qv, hasType, hasContext, now);
                if (r.relevance > config.minRelevance()) {
                    heap.add(r);
                    if (heap.size() > k) {
                        heap.poll();
                    }
                }
            }
            List<Row> best = new ArrayList<>(heap);
            best.sort(BEST_FIRST);
            List<ScoredItem> out = new ArrayList<>();
            for (int i = filter.offset(); i < best.size(); i++) {
                out.add(result(best.get(i), terms, hasType, hasContext, qv != null));
            }
            return List.copyOf(out);
        } finally {
            lock.readLock().unlock();
        }
    }

    private void addCandidates(Map<DocKey, Row> cand, Set<DocKey> keys) {
        for (DocKey k : keys) {
            if (!cand.containsKey(k)) {
                LexicalIndex.Doc d = lexical.get(k);
                if (d != null) {
                    cand.put(k, new Row(d, 0));
                }
            }
        }
    }

    /** Slots of {@link Row#values}: the four built-ins, then the user scorers. */
    private static final int LEX = 0;
    private static final int CTX = 1;
    private static final int TYP = 2;
    private static final int SEM = 3;

    private void score(Row r, Situation s, List<String> terms, double maxLex, float @Nullable [] qv,
            boolean hasType, boolean hasContext, Instant now) {
        int m = 4 + userScorers.size();
        double[] v = new double[m];
        Score[] sc = new Score[m];
        java.util.Arrays.fill(v, Double.NaN);
        if (!terms.isEmpty()) {
            v[LEX] = maxLex > 0 ? r.lexRaw / maxLex : 0;
        }
        if (hasContext) {
            sc[CTX] = ContextScorer.score(s.context(), r.doc.text.context());
            v[CTX] = sc[CTX].value();
        }
        if (hasType) {
            sc[TYP] = TypeScorer.score(s, r.doc.text.type(), r.doc.text.errorType());
            v[TYP] = sc[TYP].value();
        }
        if (qv != null && vectors != null) {
            double cos = vectors.cosine(qv, r.doc.key);
            v[SEM] = Double.isNaN(cos) ? 0 : Math.max(0, Math.min(1, cos));
        }
        for (int i = 0; i < userScorers.size(); i++) {
            Weighted w = userScorers.get(i);
            Score got;
            try {
                got = w.scorer().score(s, r.doc.agent, r.doc.item);
            } catch (RuntimeException e) {
                throw new AmlException("Relevance scorer '" + w.scorer().name() + "' failed on item '"
                        + r.doc.key.id() + "' of '" + r.doc.agent + "': " + e.getMessage()
                        + "; fix the scorer or remove it", e);
            }
            if (got == null) {
                throw new AmlException("Relevance scorer '" + w.scorer().name() + "' returned null for item '"
                        + r.doc.key.id() + "'; return Score.NOT_APPLICABLE instead");
            }
            sc[4 + i] = got;
            v[4 + i] = got.value();
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < m; i++) {
            if (!Double.isNaN(v[i])) {
                double w = weightOf(i);
                num += w * v[i];
                den += w;
            }
        }
        r.values = v;
        r.scores = sc;
        r.relevance = den == 0 ? 0 : num / den;
        double w = r.doc.item.weight(now);
        r.weight = w >= 0 ? Math.min(1, w) : 0; // NaN becomes 0
        r.score = config.relevanceWeight() * r.relevance + config.itemWeight() * r.weight;
    }

    private double weightOf(int slot) {
        switch (slot) {
            case LEX:
                return config.lexicalWeight();
            case CTX:
                return config.contextWeight();
            case TYP:
                return config.typeWeight();
            case SEM:
                return config.semanticWeight();
            default:
                return userScorers.get(slot - 4).weight();
        }
    }

    private String nameOf(int slot) {
        switch (slot) {
            case LEX:
                return RelevanceScorer.LEXICAL;
            case CTX:
                return RelevanceScorer.CONTEXT;
            case TYP:
                return RelevanceScorer.TYPE;
            case SEM:
                return RelevanceScorer.SEMANTIC;
            default:
                return userScorers.get(slot - 4).scorer().name();
        }
    }

    private ScoredItem result(Row r, List<String> terms, boolean hasType, boolean hasContext, boolean semantic) {
        double den = 0;
        for (int i = 0; i < r.values.length; i++) {
            if (!Double.isNaN(r.values[i])) {
                den += weightOf(i);
            }
        }
        List<Explanation.Contribution> cs = new ArrayList<>();
        for (int i = 0; i < r.values.length; i++) {
            double v = r.values[i];
            if (Double.isNaN(v)) {
                continue;
            }
            double w = weightOf(i);
            double share = den == 0 ? 0 : w * v / den;
            List<String> matched = r.scores[i] != null ? r.scores[i].matched() : List.of();
            Map<String, Double> termShares = Map.of();
            if (i == LEX && r.lexRaw > 0) {
                Map<String, Double> parts = lexical.termParts(terms, r.doc);
                List<Map.Entry<String, Double>> sorted = new ArrayList<>(parts.entrySet());
                sorted.sort(Map.Entry.<String, Double>comparingByValue().reversed());
                LinkedHashMap<String, Double> shares = new LinkedHashMap<>();
                for (Map.Entry<String, Double> e : sorted) {
                    shares.put(e.getKey(), e.getValue() / r.lexRaw);
                }
                termShares = shares;
                matched = List.of(String.format(java.util.Locale.ROOT, "bm25 %.3f", r.lexRaw));
            }
            cs.add(new Explanation.Contribution(nameOf(i), v, w, share, matched, termShares));
        }
        return new ScoredItem(r.doc.agent, r.doc.item, r.score, r.relevance, r.weight,
                new Explanation(cs, config.relevanceWeight(), config.itemWeight()));
    }

    /**
     * Lexical-only top-k straight from the postings, without filters or weights: the operation the
     * "lexical top-10" benchmark measures and the property test compares with {@link #bruteForceTopK}.
     *
     * @param text query text
     * @param k how many
     * @return keys and raw BM25 scores, best first (ties by key)
     */
    public List<Map.Entry<DocKey, Double>> lexicalTopK(String text, int k) {
        List<String> terms = new ArrayList<>(new LinkedHashSet<>(Tokenizer.tokenize(text)));
        lock.readLock().lock();
        try {
            Scratch sc = scratch.get();
            sc.ensure(lexical.capacity());
            int n = lexical.score(terms, sc.acc, sc.touched);
            PriorityQueue<Map.Entry<DocKey, Double>> heap = new PriorityQueue<>(k + 1, LEX_WORST_FIRST);
            double worst = -1;
            for (int i = 0; i < n; i++) {
                int o = sc.touched[i];
                double v = sc.acc[o];
                sc.acc[o] = 0;
                if (heap.size() < k || v >= worst) {
                    heap.add(Map.entry(lexical.doc(o).key, v));
                    if (heap.size() > k) {
                        heap.poll();
                    }
                    if (heap.size() == k) {
                        worst = heap.peek().getValue();
                    }
                }
            }
            List<Map.Entry<DocKey, Double>> out = new ArrayList<>(heap);
            out.sort(LEX_WORST_FIRST.reversed());
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The reference for {@link #lexicalTopK}: every live document scored from its own terms.
     *
     * @param text query text
     * @param k how many
     * @return keys and raw BM25 scores, best first (ties by key)
     */
    public List<Map.Entry<DocKey, Double>> bruteForceTopK(String text, int k) {
        List<String> terms = new ArrayList<>(new LinkedHashSet<>(Tokenizer.tokenize(text)));
        lock.readLock().lock();
        try {
            List<Map.Entry<DocKey, Double>> all = new ArrayList<>();
            for (LexicalIndex.Doc d : lexical.docs()) {
                double v = lexical.bruteForce(terms, d);
                if (v > 0) {
                    all.add(Map.entry(d.key, v));
                }
            }
            all.sort(LEX_WORST_FIRST.reversed());
            return all.size() > k ? List.copyOf(all.subList(0, k)) : all;
        } finally {
            lock.readLock().unlock();
        }
    }

    private static final Comparator<Map.Entry<DocKey, Double>> LEX_WORST_FIRST = (a, b) -> {
        int c = Double.compare(a.getValue(), b.getValue());
        return c != 0 ? c : DocKey.ORDER.compare(b.getKey(), a.getKey());
    };
}
