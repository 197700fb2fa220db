package dev.aml.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.Change;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.core.contract.TestItems;
import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.Backups;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.PatternDraft;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code MemoryManager.builder().store(JdbcMemoryStore.of(dataSource))}: the runtime API works on
 * PostgreSQL, and two managers on one schema (two hosts) see each other's writes in queries: the
 * store's change notifications carry the other host's writes into the query engine's index and cache.
 */
@ExtendWith(RequiresPostgres.class)
class ManagerOnPostgresTest {

    private static final Clock CLOCK = Clock.fixed(TestItems.NOW, ZoneOffset.UTC);

    private String schema = "";
    private MemoryManager hostA;
    private MemoryManager hostB;
    private final BlockingQueue<Change> seenByB = new LinkedBlockingQueue<>();

    @BeforeEach
    void open() {
        schema = PostgresServer.freshSchema();
        hostA = MemoryManager.builder().clock(CLOCK)
                .store(JdbcMemoryStore.builder().dataSource(PostgresServer.pool()).schema(schema).build()).build();
        hostB = MemoryManager.builder().clock(CLOCK)
                .store(JdbcMemoryStore.builder().dataSource(PostgresServer.pool()).schema(schema).build()).build();
        hostB.store().addChangeListener(seenByB::addAll);
    }

    @AfterEach
    void close() {
        hostA.close();
        hostB.close();
        PostgresServer.drop(schema);
    }

    /**
     * Waits (bounded) until host B's store has delivered a change of pattern {@code id} with
     * {@code executions} to its listeners; the query engine registered its listener first, so it has
     * absorbed the change by then.
     */
    private void awaitOnB(String id, long executions) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Change c = seenByB.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (c instanceof Change.Upsert u && u.item().id().equals(id) && u.item().executionCount() == executions) {
                return;
            }
        }
        throw new AssertionError("host B never heard of " + id + " with " + executions + " executions");
    }

    @Test
    void recordOutcomeAndQueryWorkAcrossTwoManagers() throws Exception {
        // B's cache is warm before A writes
        assertThat(hostB.agent("coder").patterns().query(MemoryQuery.patterns().tags("http"))).isEmpty();

        Pattern p = hostA.agent("coder").patterns()
                .record(PatternDraft.of("retry", Map.of("lang", "java")).tags("http"));
        awaitOnB(p.id(), p.executionCount());
        assertThat(hostB.agent("coder").patterns().query(MemoryQuery.patterns().tags("http")))
                .extracting(Pattern::id).containsExactly(p.id());

        hostB.agent("coder").patterns().recordOutcome(p.id(), Outcome.success());
        hostA.agent("coder").patterns().recordOutcome(p.id(), Outcome.failure());

        Pattern now = hostA.agent("coder").patterns().get(p.id()).orElseThrow();
        assertThat(now.executionCount()).isEqualTo(p.executionCount() + 2);
        awaitOnB(p.id(), now.executionCount());
        assertThat(hostB.agent("coder").patterns().query(MemoryQuery.patterns().tags("http")))
                .singleElement().isEqualTo(now);
        assertThat(hostB.store().find(hostB.agent("coder").id(), ItemKind.PATTERN, p.id())).contains(now);
    }

    /**
     * An in-place restore on one host (one transaction replacing every agent's items) reaches the
     * other host's query index and cache: B never keeps serving the result it cached before.
     */
    @Test
    void anInPlaceRestoreOnOneHostReachesTheOtherHostsCachedQueries(@TempDir Path backupRoot) throws Exception {
        Backups backups = hostA.backups(BackupConfig.defaults().toBuilder().backupRoot(backupRoot).build());
        MemoryQuery http = MemoryQuery.patterns().tags("http").build();
        Pattern kept = hostA.agent("coder").patterns().record(PatternDraft.of("retry", Map.of()).tags("http"));
        awaitOnB(kept.id(), kept.executionCount());
        BackupInfo before = backups.createFull("before the second pattern");

        Pattern later = hostA.agent("coder").patterns().record(PatternDraft.of("backoff", Map.of()).tags("http"));
        awaitOnB(later.id(), later.executionCount());
        assertThat(hostB.query(http)).extracting(MemoryItem::id).containsExactlyInAnyOrder(kept.id(), later.id());

        backups.restoreInPlace(before.id());

        assertThat(hostA.query(http)).extracting(MemoryItem::id).containsExactly(kept.id());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<String> onB = ids(hostB.query(http));
        while (!onB.equals(List.of(kept.id())) && System.nanoTime() < deadline) {
            seenByB.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS); // wakes on B's next change
            onB = ids(hostB.query(http));
        }
        assertThat(onB).as("host B's query after host A restored in place").containsExactly(kept.id());
    }

    private static List<String> ids(List<MemoryItem> items) {
        return items.stream().map(MemoryItem::id).toList();
    }
}
