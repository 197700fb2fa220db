package dev.aml.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.CorruptDataException;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryStore;
import dev.aml.core.contract.MutableClock;
import dev.aml.core.contract.TestItems;
import dev.aml.loom.LoomJson;
import dev.aml.maintenance.internal.prune.ItemSizes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Monitoring of a store without a memory root (in memory here; PostgreSQL goes the same way). */
class RootlessMonitorTest {

    private final MutableClock clock = new MutableClock(TestItems.NOW);

    private static final List<MemoryItem> CODER = List.of(TestItems.pattern("p1", "coder"),
            TestItems.pattern("p2", "coder"), TestItems.solution("s1", "coder", true),
            TestItems.decision("d1", "coder", Boolean.TRUE));
    private static final List<MemoryItem> REVIEWER = List.of(TestItems.pattern("p3", "reviewer"));

    private MemoryManager manager(MemoryStore store) {
        return MemoryManager.builder().store(store).clock(clock).build();
    }

    private static MemoryStore filled() {
        MemoryStore store = MemoryStore.inMemory();
        for (MemoryItem item : CODER) {
            store.apply(List.of(dev.aml.core.Change.upsert(AgentId.of(item.agent()), item)));
        }
        for (MemoryItem item : REVIEWER) {
            store.apply(List.of(dev.aml.core.Change.upsert(AgentId.of(item.agent()), item)));
        }
        return store;
    }

    private static long size(List<MemoryItem> items) {
        return items.stream().mapToLong(ItemSizes::compactSize).sum();
    }

    @Test
    void metricsCountAndSizeTheItemsThemselves() {
        try (MemoryManager aml = manager(filled())) {
            assertThat(aml.root()).isEmpty();
            MetricsSnapshot s = aml.monitor().metrics();

            MemoryMetrics m = s.memory();
            assertThat(m.agentCount()).isEqualTo(2);
            assertThat(m.patternCount()).isEqualTo(3);
            assertThat(m.solutionCount()).isEqualTo(1);
            assertThat(m.decisionCount()).isEqualTo(1);
            assertThat(m.totalSizeBytes()).isEqualTo(size(CODER) + size(REVIEWER));
            assertThat(m.largestAgent()).isEqualTo("coder");
            assertThat(m.largestAgentSizeBytes()).isEqualTo(size(CODER));
            assertThat(m.compressedFiles() + m.uncompressedFiles()).isZero();
            Map<String, AgentMetrics> agents = s.agents().stream()
                    .collect(Collectors.toMap(AgentMetrics::agent, Function.identity()));
            assertThat(agents.get("coder").patterns()).isEqualTo(2);
            assertThat(agents.get("reviewer").sizeBytes()).isEqualTo(size(REVIEWER));
            // the estimate is the Loom JSON the store's codec writes, give or take escapes
            long exact = CODER.stream().mapToLong(i -> LoomJson.defaults().writeItem(i).length).sum();
            assertThat((double) agents.get("coder").sizeBytes()).isBetween(exact * 0.9, exact * 1.1);
        }
    }

    @Test
    void healthIsJudgedWithoutATreeOnDisk() {
        try (MemoryManager aml = manager(filled())) {
            HealthReport h = aml.monitor().health();

            assertThat(h.status()).isEqualTo(HealthStatus.HEALTHY);
            Map<String, HealthCheck> checks = h.checks().stream()
                    .collect(Collectors.toMap(HealthCheck::name, Function.identity()));
            assertThat(checks).hasSize(6);
            assertThat(checks.get(HealthCheck.DIRECTORY_STRUCTURE).message())
                    .startsWith("No directory tree: in-memory store");
            assertThat(checks.get(HealthCheck.INDEX_EXISTS).unit()).isEqualTo("in memory");
            assertThat(checks.get(HealthCheck.RECENT_BACKUP).message()).contains("pg_dump").contains("exportTo");
            assertThat(checks.get(HealthCheck.FILE_INTEGRITY).status()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(checks.get(HealthCheck.MEMORY_WITHIN_LIMITS).status()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(aml.monitor().report().activeAlerts()).isEmpty();
        }
    }

    @Test
    void memoryLimitsApplyToTheEstimatedSizes() {
        try (MemoryManager aml = manager(filled())) {
            double coderMb = size(CODER) / (1024.0 * 1024.0);
            MonitorConfig tight = MonitorConfig.builder()
                    .agentMemoryMb(coderMb / 2, coderMb / 4 * 3).build();

            HealthReport h = aml.monitor(tight).health();

            assertThat(h.checks()).filteredOn(c -> c.name().equals(HealthCheck.MEMORY_WITHIN_LIMITS))
                    .singleElement().satisfies(c -> assertThat(c.status()).isEqualTo(HealthStatus.CRITICAL));
            assertThat(aml.monitor().alerts()).extracting(Alert::condition).contains("memory.agent.coder");
        }
    }

    @Test
    void anUnreadableAgentIsCriticalAndNamedNeverCountedAsEmpty() {
        TestStore store = new TestStore().with(CODER.toArray(MemoryItem[]::new));
        store.unreadable.put(AgentId.of("broken"), new CorruptDataException("row 7 of broken is not JSON"));
        try (MemoryManager aml = manager(store)) {
            HealthReport h = aml.monitor().health();

            assertThat(h.status()).isEqualTo(HealthStatus.CRITICAL);
            assertThat(h.errors()).singleElement().asString().contains("broken").contains("row 7 of broken");
            assertThat(h.metrics().agents()).extracting(AgentMetrics::agent).containsExactly("coder");
            assertThat(aml.monitor().alerts()).extracting(Alert::condition).containsExactly("integrity.agent.broken");
        }
    }

    @Test
    void alertsAndHistoryLiveInMemoryForTheManagersLifetime() {
        try (MemoryManager aml = manager(filled())) {
            aml.monitor().metrics();
            clock.advance(Duration.ofMinutes(5));
            aml.monitor().health();
            Alert raised = aml.monitor().raise(AlertLevel.WARNING, "maintenance", "prune.failed", "prune failed",
                    Map.of());

            assertThat(aml.monitor().history(Duration.ofHours(1))).hasSize(2);
            assertThat(aml.monitor().history(Duration.ofMinutes(1))).hasSize(1);
            assertThat(aml.monitor().alerts()).containsExactly(raised);
            assertThat(aml.monitor().resolve("prune.failed")).isTrue();
            assertThat(aml.monitor().resolve("prune.failed")).isFalse();
            assertThat(aml.monitor().alerts()).isEmpty();
            assertThat(aml.monitor().allAlerts()).singleElement().satisfies(a -> assertThat(a.resolved()).isTrue());
        }
        try (MemoryManager other = manager(filled())) {
            assertThat(other.monitor().history(Duration.ofDays(1))).isEmpty();
        }
    }
}
