package dev.aml.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.Durability;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.core.contract.TestItems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Model-based test: random sequences of record / update / delete / replace-all / checkpoint /
 * close-and-reopen / crash (copy the tree as a kill would leave it, continue on the copy) against
 * an ordered map per agent.
 */
class FileMemoryStoreStatefulTest {

    private static final AgentId[] AGENTS = {AgentId.of("coder"), AgentId.of("tester")};
    private static final Queue<Path> DIRS = new ConcurrentLinkedQueue<>();

    /** The store under test and its model. */
    static final class Sut {
        Path root;
        FileMemoryStore store;
        final Durability durability;
        final Map<AgentId, LinkedHashMap<String, MemoryItem>> model = new LinkedHashMap<>();
        int generation;

        Sut(Durability durability) {
            try {
                Path base = Files.createTempDirectory("aml-stateful");
                DIRS.add(base);
                this.root = base.resolve("memory-0");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            this.durability = durability;
            this.store = open();
            for (AgentId a : AGENTS) {
                model.put(a, new LinkedHashMap<>());
            }
        }

        FileMemoryStore open() {
            return FileMemoryStore.builder(root).durability(durability).checkpointBytes(16 * 1024).open();
        }

        List<String> ids(AgentId agent) {
            return new ArrayList<>(model.get(agent).keySet());
        }

        void check() {
            for (AgentId a : AGENTS) {
                assertThat(store.items(a, ItemKind.PATTERN)).as("patterns of %s", a)
                        .containsExactlyElementsOf(model.get(a).values());
            }
        }

        @Override
        public String toString() {
            return "Sut[" + root + "]";
        }
    }

    @Provide
    Arbitrary<ActionChain<Sut>> chains() {
        return Arbitraries.of(Durability.values()).flatMap(d -> ActionChain.<Sut>startWith(() -> new Sut(d))
                .withAction(4, new Record())
                .withAction(4, new Update())
                .withAction(2, new Delete())
                .withAction(1, new Reverse())
                .withAction(1, new Checkpoint())
                .withAction(1, new Reopen())
                .withAction(1, new Crash())
                .withMaxTransformations(25));
    }

    @Property(tries = 15)
    void behavesLikeAnOrderedMap(@ForAll("chains") ActionChain<Sut> chain) {
        Sut last = chain.withInvariant("store equals model", Sut::check).run();
        last.store.close();
        try (FileMemoryStore reopened = FileMemoryStore.open(last.root)) {
            for (AgentId a : AGENTS) {
                assertThat(reopened.items(a, ItemKind.PATTERN)).containsExactlyElementsOf(last.model.get(a).values());
            }
        }
    }

    @AfterContainer
    static void deleteDirs() throws IOException {
        for (Path base = DIRS.poll(); base != null; base = DIRS.poll()) {
            try (Stream<Path> paths = Files.walk(base)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static Arbitrary<AgentId> agents() {
        return Arbitraries.of(AGENTS);
    }

    static final class Record implements Action.Independent<Sut> {
        @Override
        public Arbitrary<Transformer<Sut>> transformer() {
            return agents().flatMap(a -> Arbitraries.integers().between(0, 30).map(n -> Transformer.mutate(
                    "record " + a + "/p" + n, s -> {
                        Pattern p = TestItems.pattern("p" + n, a.name()).withTags(List.of("g" + s.generation++));
                        s.store.apply(List.of(Change.upsert(a, p)));
                        s.model.get(a).put(p.id(), p);
                    })));
        }
    }

    static final class Update implements Action.Dependent<Sut> {
        @Override
        public boolean precondition(Sut s) {
            return s.model.values().stream().anyMatch(m -> !m.isEmpty());
        }

        @Override
        public Arbitrary<Transformer<Sut>> transformer(Sut s) {
            List<AgentId> withItems = Stream.of(AGENTS).filter(a -> !s.model.get(a).isEmpty()).toList();
            return Arbitraries.of(withItems).flatMap(a -> Arbitraries.of(s.ids(a)).flatMap(id ->
                    Arbitraries.of(true, false).map(ok -> Transformer.mutate("update " + a + "/" + id + " " + ok, st -> {
                        MemoryItem next = st.store.update(a, ItemKind.PATTERN, id, p -> ((Pattern) p).withOutcome(
                                ok ? Outcome.success() : Outcome.failure(), TestItems.NOW, 0.1));
                        st.model.get(a).put(id, next);
                    }))));
        }
    }

    static final class Delete implements Action.Dependent<Sut> {
        @Override
        public boolean precondition(Sut s) {
            return s.model.values().stream().anyMatch(m -> !m.isEmpty());
        }

        @Override
        public Arbitrary<Transformer<Sut>> transformer(Sut s) {
            List<AgentId> withItems = Stream.of(AGENTS).filter(a -> !s.model.get(a).isEmpty()).toList();
            return Arbitraries.of(withItems).flatMap(a -> Arbitraries.of(s.ids(a)).map(id ->
                    Transformer.mutate("delete " + a + "/" + id, st -> {
                        st.store.apply(List.of(Change.delete(a, ItemKind.PATTERN, id)));
                        st.model.get(a).remove(id);
                    })));
        }
    }

    static final class Reverse implements Action.Independent<Sut> {
        @Override
        public Arbitrary<Transformer<Sut>> transformer() {
            return agents().map(a -> Transformer.mutate("reverse " + a, s -> {
                List<MemoryItem> items = new ArrayList<>(s.model.get(a).values());
                Collections.reverse(items);
                s.store.apply(List.of(Change.replaceAll(a, ItemKind.PATTERN, items)));
                s.model.get(a).clear();
                items.forEach(i -> s.model.get(a).put(i.id(), i));
            }));
        }
    }

    static final class Checkpoint implements Action.Independent<Sut> {
        @Override
        public Arbitrary<Transformer<Sut>> transformer() {
            return Arbitraries.just(Transformer.mutate("checkpoint", s -> s.store.checkpoint()));
        }
    }

    static final class Reopen implements Action.Independent<Sut> {
        @Override
        public Arbitrary<Transformer<Sut>> transformer() {
            return Arbitraries.just(Transformer.mutate("close and reopen", s -> {
                s.store.close();
                s.store = s.open();
            }));
        }
    }

    /** A kill right after a flush: the tree as it is on disk now, continued in a copy. */
    static final class Crash implements Action.Independent<Sut> {
        @Override
        public Arbitrary<Transformer<Sut>> transformer() {
            return Arbitraries.just(Transformer.mutate("crash after flush", s -> {
                s.store.flush();
                Path copy = s.root.resolveSibling("memory-" + (s.generation++));
                try {
                    FileMemoryStoreTest.copyTree(s.root, copy);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                s.store.close();
                s.root = copy;
                s.store = s.open();
            }));
        }
    }
}
