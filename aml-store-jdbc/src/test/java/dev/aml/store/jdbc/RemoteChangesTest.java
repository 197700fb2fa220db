package dev.aml.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.core.contract.TestItems;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Listeners of one store instance see the writes of another (another host) as changes of the current rows. */
@ExtendWith(RequiresPostgres.class)
class RemoteChangesTest {

    private static final AgentId CODER = AgentId.of("coder");

    private String schema = "";
    private JdbcMemoryStore hostA;
    private JdbcMemoryStore hostB;
    private final BlockingQueue<Change> seenByB = new LinkedBlockingQueue<>();

    @BeforeEach
    void open() {
        schema = PostgresServer.freshSchema();
        hostA = JdbcMemoryStore.builder().dataSource(PostgresServer.pool()).schema(schema).build();
        hostB = JdbcMemoryStore.builder().dataSource(PostgresServer.pool()).schema(schema).build();
        hostB.addChangeListener(seenByB::addAll);
    }

    @AfterEach
    void close() {
        hostA.close();
        hostB.close();
        PostgresServer.drop(schema);
    }

    /** Waits (bounded) for the first change B's listener sees that matches, skipping others. */
    private Change next(Predicate<Change> wanted) throws InterruptedException {
        List<Change> skipped = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Change c = seenByB.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (c != null && wanted.test(c)) {
                return c;
            }
            if (c != null) {
                skipped.add(c);
            }
        }
        throw new AssertionError("no matching change within 20 s; saw " + skipped);
    }

    @Test
    void upsertsUpdatesDeletesAndReplacementsReachTheOtherHost() throws Exception {
        Pattern p1 = TestItems.pattern("p1", "coder");
        hostA.apply(List.of(Change.upsert(CODER, p1)));
        assertThat(next(c -> c instanceof Change.Upsert)).isEqualTo(Change.upsert(CODER, p1));

        MemoryItem updated = hostA.update(CODER, ItemKind.PATTERN, "p1",
                i -> ((Pattern) i).withOutcome(Outcome.success(), TestItems.NOW, 0.1));
        assertThat(next(c -> c instanceof Change.Upsert u && u.item().executionCount() == updated.executionCount()))
                .isEqualTo(Change.upsert(CODER, updated));

        hostA.apply(List.of(Change.delete(CODER, ItemKind.PATTERN, "p1")));
        assertThat(next(c -> c instanceof Change.Delete)).isEqualTo(Change.delete(CODER, ItemKind.PATTERN, "p1"));

        List<MemoryItem> list = List.of(TestItems.pattern("b", "coder"), TestItems.pattern("a", "coder"));
        hostA.apply(List.of(Change.replaceAll(CODER, ItemKind.PATTERN, list)));
        assertThat(next(c -> c instanceof Change.ReplaceAll))
                .isEqualTo(Change.replaceAll(CODER, ItemKind.PATTERN, list));
    }

    @Test
    void aBatchTooLargeToNameStillReachesTheOtherHostAsReplacedLists() throws Exception {
        List<Change> batch = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            batch.add(Change.upsert(CODER, TestItems.pattern("a-rather-long-identifier-number-" + i, "coder")));
        }
        hostA.apply(batch);

        Change c = next(x -> x instanceof Change.ReplaceAll r && r.items().size() == 400);
        assertThat(((Change.ReplaceAll) c).items()).isEqualTo(hostA.items(CODER, ItemKind.PATTERN));
    }

    @Test
    void ownWritesAreDeliveredOnceOnTheWritingThread() throws Exception {
        hostB.apply(List.of(Change.upsert(CODER, TestItems.pattern("own", "coder"))));
        assertThat(seenByB.poll()).isEqualTo(Change.upsert(CODER, TestItems.pattern("own", "coder")));

        // notifications arrive in commit order: had B's own one been delivered again, it would come first
        hostA.apply(List.of(Change.upsert(CODER, TestItems.pattern("marker", "coder"))));
        assertThat(next(c -> true)).isEqualTo(Change.upsert(CODER, TestItems.pattern("marker", "coder")));
        assertThat(seenByB).isEmpty();
    }
}
