package dev.aml.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.Decision;
import dev.aml.core.DecisionOutcome;
import dev.aml.core.Durability;
import dev.aml.core.Effectiveness;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.Pattern;
import dev.aml.core.RawJson;
import dev.aml.core.Solution;
import dev.aml.core.contract.TestItems;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.OptimizeReport;
import dev.aml.maintenance.PruneCandidate;
import dev.aml.maintenance.PruneConfig;
import dev.aml.maintenance.PruneReport;
import dev.aml.maintenance.PruneStrategy;
import dev.aml.store.FileMemoryStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maintenance runs unchanged through the SPI: the same prune and the same garbage collection on
 * PostgreSQL, on the file store and on the in-memory store plan the same work for the same data, and
 * leave the same survivors.
 */
@ExtendWith(RequiresPostgres.class)
class MaintenanceOnPostgresTest {

    private static final List<AgentId> AGENTS = List.of(AgentId.of("coder"), AgentId.of("tester"));
    private static final Clock CLOCK = Clock.fixed(TestItems.NOW, ZoneOffset.UTC);

    private String schema = "";
    private JdbcMemoryStore postgres;
    private MemoryStore reference;
    private MemoryStore file;

    @BeforeEach
    void load(@TempDir Path dir) {
        schema = PostgresServer.freshSchema();
        postgres = JdbcMemoryStore.builder().dataSource(PostgresServer.pool()).schema(schema).build();
        reference = MemoryStore.inMemory();
        file = FileMemoryStore.builder(dir.resolve("memory")).durability(Durability.NONE).open();
        List<Change> data = data(new Random(7));
        postgres.apply(data);
        reference.apply(data);
        file.apply(data);
    }

    @AfterEach
    void drop() {
        postgres.close();
        reference.close();
        file.close();
        PostgresServer.drop(schema);
    }

    /** Items of every kind, old and new, good and bad, so that each strategy has work and guards matter. */
    private static List<Change> data(Random random) {
        List<Change> changes = new ArrayList<>();
        for (AgentId agent : AGENTS) {
            List<MemoryItem> patterns = new ArrayList<>();
            List<MemoryItem> solutions = new ArrayList<>();
            List<MemoryItem> decisions = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                patterns.add(TestItems.pattern("p" + i, agent.name(), random.nextDouble(), random.nextInt(20),
                        random.nextDouble(), TestItems.NOW.minus(Duration.ofDays(random.nextInt(200)))));
            }
            for (int i = 0; i < 40; i++) {
                Solution s = TestItems.solution("s" + i, agent.name(), random.nextBoolean());
                solutions.add(new Solution(s.id(), s.agent(), TestItems.NOW.minus(Duration.ofDays(random.nextInt(500))),
                        s.problem(), s.solution(),
                        new Effectiveness(s.effectiveness().worked(), 10, random.nextInt(3), 0, RawJson.emptyObject()),
                        s.tags(), true, s.verifiedCount(), s.extra()));
            }
            for (int i = 0; i < 40; i++) {
                Decision d = TestItems.decision("d" + i, agent.name(), random.nextBoolean());
                DecisionOutcome outcome = random.nextInt(4) == 0 ? null : d.outcome();
                decisions.add(new Decision(d.id(), d.agent(), TestItems.NOW.minus(Duration.ofDays(random.nextInt(400))),
                        d.decision(), outcome, d.tags(), d.active(), d.reviewedAt(), d.extra()));
            }
            changes.add(Change.replaceAll(agent, ItemKind.PATTERN, patterns));
            changes.add(Change.replaceAll(agent, ItemKind.SOLUTION, solutions));
            changes.add(Change.replaceAll(agent, ItemKind.DECISION, decisions));
        }
        return changes;
    }

    private static PruneConfig config() {
        return PruneConfig.defaults().toBuilder()
                .strategies(PruneStrategy.timeBased(), PruneStrategy.performanceBased(), PruneStrategy.spaceBased())
                .agentMemoryLimitBytes(40_000)
                .createBackup(false)
                .build();
    }

    private static List<String> candidates(PruneReport report) {
        return report.candidates().stream()
                .map((PruneCandidate c) -> c.agent() + "/" + c.kind() + "/" + c.id() + "@" + c.position() + ":"
                        + c.reason())
                .toList();
    }

    private static Map<String, List<MemoryItem>> contents(MemoryStore store) {
        Map<String, List<MemoryItem>> out = new LinkedHashMap<>();
        for (AgentId agent : AGENTS) {
            for (ItemKind kind : ItemKind.values()) {
                out.put(agent + "/" + kind, store.items(agent, kind));
            }
        }
        return out;
    }

    @Test
    void dryRunAndExecuteMatchTheFileStoreAndTheInMemoryStore() {
        Map<String, List<MemoryItem>> before = contents(postgres);
        assertThat(contents(file)).isEqualTo(before);
        long version = postgres.version(AGENTS.get(0));
        try (MemoryManager onPostgres = MemoryManager.builder().store(postgres).clock(CLOCK).build();
                MemoryManager onFile = MemoryManager.builder().store(file).clock(CLOCK).build();
                MemoryManager onReference = MemoryManager.builder().store(reference).clock(CLOCK).build()) {
            PruneReport planPg = onPostgres.prune(config()).dryRun();

            assertThat(candidates(planPg)).isNotEmpty()
                    .isEqualTo(candidates(onFile.prune(config()).dryRun()))
                    .isEqualTo(candidates(onReference.prune(config()).dryRun()));
            assertThat(contents(postgres)).isEqualTo(before);
            assertThat(postgres.version(AGENTS.get(0))).isEqualTo(version);

            PruneReport donePg = onPostgres.prune(config()).execute();
            PruneReport doneFile = onFile.prune(config()).execute();
            PruneReport doneRef = onReference.prune(config()).execute();

            assertThat(donePg.itemsRemoved()).isPositive()
                    .isEqualTo(doneFile.itemsRemoved()).isEqualTo(doneRef.itemsRemoved());
            assertThat(donePg.itemsArchived()).isPositive();
            assertThat(contents(postgres)).isEqualTo(contents(file)).isEqualTo(contents(reference));
            assertThat(contents(postgres).values().stream().mapToInt(List::size).sum())
                    .isEqualTo(before.values().stream().mapToInt(List::size).sum() - donePg.itemsRemoved());
        }
    }

    @Test
    void garbageCollectionMatchesTheFileStoreAndTheInMemoryStore() {
        AgentId coder = AGENTS.get(0);
        Pattern first = TestItems.pattern("dup", "coder", 0.5, 3, 0.5, TestItems.NOW.minus(Duration.ofDays(9)));
        Pattern newer = TestItems.pattern("dup", "coder", 0.9, 8, 0.8, TestItems.NOW.minus(Duration.ofDays(1)));
        Pattern noId = TestItems.pattern("", "coder");
        Pattern twin = TestItems.pattern("twin", "coder");
        Pattern twinCopy = new Pattern("twin-copy", "coder", twin.timestamp(), twin.pattern(), twin.metrics(),
                twin.evolution(), List.of("copy"), true, RawJson.emptyObject());
        List<Change> garbage = List.of(Change.replaceAll(coder, ItemKind.PATTERN,
                List.of(first, noId, twin, newer, twinCopy)));
        for (MemoryStore s : List.of(postgres, file, reference)) {
            s.apply(garbage);
        }
        try (MemoryManager onPostgres = MemoryManager.builder().store(postgres).clock(CLOCK).build();
                MemoryManager onFile = MemoryManager.builder().store(file).clock(CLOCK).build();
                MemoryManager onReference = MemoryManager.builder().store(reference).clock(CLOCK).build()) {
            OptimizeReport pg = onPostgres.optimize().gc(true);
            OptimizeReport fs = onFile.optimize().gc(true);
            OptimizeReport ref = onReference.optimize().gc(true);

            assertThat(pg.ok()).isTrue();
            assertThat(pg.count("invalid_items")).isEqualTo(1).isEqualTo(fs.count("invalid_items"));
            assertThat(pg.count("duplicate_ids")).isEqualTo(1).isEqualTo(ref.count("duplicate_ids"));
            assertThat(pg.count("exact_duplicates")).isPositive().isEqualTo(fs.count("exact_duplicates"));
            assertThat(contents(postgres)).isEqualTo(contents(file)).isEqualTo(contents(reference));
            assertThat(postgres.items(coder, ItemKind.PATTERN)).extracting(MemoryItem::id)
                    .doesNotContain("", "twin-copy").containsOnlyOnce("dup", "twin");
        }
    }

    @Test
    void monitoringMeasuresTheSameItemsAsTheInMemoryStore() {
        try (MemoryManager onPostgres = MemoryManager.builder().store(postgres).clock(CLOCK).build();
                MemoryManager onReference = MemoryManager.builder().store(reference).clock(CLOCK).build()) {
            dev.aml.maintenance.monitor.HealthReport pg = onPostgres.monitor().health();
            dev.aml.maintenance.monitor.HealthReport ref = onReference.monitor().health();

            assertThat(pg.metrics().agents()).isEqualTo(ref.metrics().agents()).hasSize(2);
            assertThat(pg.metrics().memory().patternCount()).isEqualTo(240);
            assertThat(pg.metrics().memory().totalSizeBytes()).isPositive()
                    .isEqualTo(ref.metrics().memory().totalSizeBytes());
            assertThat(pg.checks()).hasSize(6);
            assertThat(pg.checks()).filteredOn(c -> !c.name().equals("memory_within_limits")
                    && !c.name().equals("performance_ok")).allSatisfy(c -> assertThat(c.passed()).isTrue());
            assertThat(pg.checks()).extracting(dev.aml.maintenance.monitor.HealthCheck::message)
                    .anySatisfy(m -> assertThat(m).startsWith("No directory tree: " + postgres.describe()));
        }
    }
}
