package dev.aml.maintenance.internal.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aml.core.AgentId;
import dev.aml.core.Change;
import dev.aml.core.CorruptDataException;
import dev.aml.core.MemoryStore;
import dev.aml.core.contract.MutableClock;
import dev.aml.core.contract.TestItems;
import dev.aml.core.internal.Json;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.QueryStats;
import dev.aml.maintenance.monitor.Alert;
import dev.aml.maintenance.monitor.AlertLevel;
import dev.aml.maintenance.monitor.HealthCheck;
import dev.aml.maintenance.monitor.HealthReport;
import dev.aml.maintenance.monitor.HealthStatus;
import dev.aml.maintenance.monitor.MetricsSnapshot;
import dev.aml.maintenance.monitor.MonitorConfig;
import dev.aml.maintenance.monitor.MonitorReport;
import dev.aml.maintenance.monitor.QueryPerformance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DefaultMonitorTest {

    static final Instant NOW = TestItems.NOW;
    static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    Path root;
    MutableClock clock = new MutableClock(NOW, ZoneOffset.UTC);
    MemoryStore store = MemoryStore.inMemory();
    AtomicReference<QueryStats> live = new AtomicReference<>(new QueryStats(100, 3, 8, 90, 10));
    List<BackupInfo> backups = new ArrayList<>();

    @BeforeEach
    void tree() throws IOException {
        root = Trees.layout(dir.resolve("memory"));
        Trees.patterns(root, "coder", 3);
        Trees.index(root, NOW.minus(Duration.ofHours(1)));
        backups.add(Trees.backup("full_20260601_110000", NOW.minus(Duration.ofHours(1)), true));
    }

    DefaultMonitor monitor(MonitorConfig config) {
        return new DefaultMonitor(root, store, clock, config, live::get, () -> List.copyOf(backups));
    }

    DefaultMonitor monitor() {
        return monitor(MonitorConfig.defaults());
    }

    HealthCheck check(HealthReport r, String name) {
        return r.check(name).orElseThrow();
    }

    @Test
    void aHealthyTreeIsHealthyAndHealthJsonHasLoomsShape() throws IOException {
        HealthReport r = monitor().health();
        assertThat(r.checks()).extracting(HealthCheck::name).containsExactlyElementsOf(HealthCheck.NAMES);
        assertThat(r.status()).as(r.checks().toString()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(r.warnings()).isEmpty();
        assertThat(r.metrics().memory().patternCount()).isEqualTo(3);
        assertThat(r.metrics().memory().agentCount()).isEqualTo(1);
        assertThat(r.metrics().memory().largestAgent()).isEqualTo("coder");
        assertThat(r.metrics().memory().avgPatternSizeBytes()).isPositive();

        JsonNode h = Json.MAPPER.readTree(root.resolve("monitoring/health.json").toFile());
        assertThat(h.get("status").asText()).isEqualTo("healthy");
        assertThat(h.get("checks").size()).isEqualTo(6);
        assertThat(h.get("checks").get("file_integrity").asBoolean()).isTrue();
        assertThat(h.get("metrics").get("cache_hit_rate").asDouble()).isEqualTo(0.9);
        assertThat(h.get("metrics").get("avg_query_time_ms").asDouble()).isEqualTo(3.0);
        assertThat(h.get("warnings").isArray()).isTrue();
    }

    @ParameterizedTest(name = "total {0} bytes -> {1}")
    @CsvSource({"999, HEALTHY", "1000, WARNING", "1999, WARNING", "2000, CRITICAL", "2001, CRITICAL"})
    void globalMemoryThresholdsAtBelowAndAbove(long bytes, HealthStatus expected) throws IOException {
        Files.delete(root.resolve("coder/patterns.json"));
        Trees.solutionsOfSize(root, "coder", bytes);
        MonitorConfig c = MonitorConfig.builder().globalMemoryMb(1000.0 / MIB, 2000.0 / MIB)
                .agentMemoryMb(100, 200).build();
        HealthCheck memory = check(monitor(c).health(), HealthCheck.MEMORY_WITHIN_LIMITS);
        assertThat(memory.status()).isEqualTo(expected);
        if (expected == HealthStatus.CRITICAL) {
            assertThat(memory.message()).startsWith("Memory usage exceeds critical limit");
        }
    }

    @ParameterizedTest(name = "agent {0} bytes -> {1}")
    @CsvSource({"599, HEALTHY", "600, WARNING", "799, WARNING", "800, CRITICAL"})
    void agentMemoryThresholdsIncludingTheWarningLoomNeverRaised(long bytes, HealthStatus expected)
            throws IOException {
        Trees.solutionsOfSize(root, "big", bytes);
        MonitorConfig c = MonitorConfig.builder().agentMemoryMb(600.0 / MIB, 800.0 / MIB).build();
        DefaultMonitor m = monitor(c);
        HealthReport r = m.health();
        assertThat(check(r, HealthCheck.MEMORY_WITHIN_LIMITS).status()).isEqualTo(expected);
        List<Alert> agentAlerts = m.alerts().stream().filter(a -> a.condition().equals("memory.agent.big")).toList();
        if (expected == HealthStatus.HEALTHY) {
            assertThat(agentAlerts).isEmpty();
        } else {
            assertThat(agentAlerts).singleElement().satisfies(a -> {
                assertThat(a.level()).isEqualTo(AlertLevel.of(expected));
                assertThat(a.message()).startsWith("Agent big memory " + (expected == HealthStatus.CRITICAL
                        ? "critical" : "high"));
            });
        }
    }

    @ParameterizedTest(name = "avg {0} ms -> {1}")
    @CsvSource({"49.99, HEALTHY", "50, WARNING", "99.9, WARNING", "100, CRITICAL", "250, CRITICAL"})
    void queryTimeThresholds(double avg, HealthStatus expected) {
        live.set(new QueryStats(100, avg, avg, 90, 10));
        HealthCheck perf = check(monitor().health(), HealthCheck.PERFORMANCE_OK);
        assertThat(perf.status()).isEqualTo(expected);
        assertThat(perf.value()).isEqualTo(avg);
    }

    @ParameterizedTest(name = "hits {0}/100 -> {1}")
    @CsvSource({"61, HEALTHY", "60, HEALTHY", "59, WARNING", "50, WARNING", "49, CRITICAL"})
    void cacheHitRateThresholdsAreStrictlyBelow(long hits, HealthStatus expected) {
        live.set(new QueryStats(100, 1, 2, hits, 100 - hits));
        DefaultMonitor m = monitor();
        assertThat(check(m.health(), HealthCheck.PERFORMANCE_OK).status()).isEqualTo(expected);
        assertThat(m.alerts().stream().anyMatch(a -> a.condition().equals("performance.cache_hit_rate")))
                .isEqualTo(expected != HealthStatus.HEALTHY);
    }

    /** Issue 17: one query against a fresh tree is not a 0 % hit rate to alert on. */
    @Test
    void queryTimeAndHitRateAreJudgedOnlyFromTheMinimumSample() {
        live.set(new QueryStats(1, 150, 150, 0, 1));
        DefaultMonitor m = monitor();
        HealthCheck perf = check(m.health(), HealthCheck.PERFORMANCE_OK);
        assertThat(perf.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(perf.message()).contains("not enough queries yet (1 of 100)");
        assertThat(m.alerts()).noneMatch(a -> a.category().equals("performance"));

        live.set(new QueryStats(99, 150, 150, 0, 99));
        assertThat(check(monitor().health(), HealthCheck.PERFORMANCE_OK).message())
                .contains("not enough queries yet (99 of 100)");
        live.set(new QueryStats(100, 150, 150, 0, 100));
        assertThat(check(monitor().health(), HealthCheck.PERFORMANCE_OK).status()).isEqualTo(HealthStatus.CRITICAL);

        live.set(new QueryStats(5, 150, 150, 0, 5));
        MonitorConfig small = MonitorConfig.builder().minQueriesForPerformance(5).build();
        assertThat(check(monitor(small).health(), HealthCheck.PERFORMANCE_OK).status())
                .isEqualTo(HealthStatus.CRITICAL);
    }

    @Test
    void fileIntegritySaysUnreadableOfHowMany() {
        HealthCheck c = check(monitor().health(), HealthCheck.FILE_INTEGRITY);
        assertThat(c.value()).isZero();
        assertThat(c.unit()).matches("unreadable of [1-9][0-9]* files");
    }

    @Test
    void withoutAnyRecordedQueryThereIsNoFakeZeroHitRate() {
        live.set(QueryStats.EMPTY);
        DefaultMonitor m = monitor();
        MonitorReport r = m.report();
        assertThat(r.health().metrics().performance().source()).isEqualTo(QueryPerformance.Source.NONE);
        assertThat(check(r.health(), HealthCheck.PERFORMANCE_OK).status()).isEqualTo(HealthStatus.HEALTHY);
        @SuppressWarnings("unchecked")
        Map<String, Object> perf = (Map<String, Object>) r.toLoomShape().get("performance");
        assertThat(perf.get("cache_hit_rate")).isNull();
        assertThat(perf.get("avg_query_time_ms")).isNull();
        assertThat(m.alerts()).noneMatch(a -> a.category().equals("performance"));
    }

    @Test
    void aProcessWithoutQueriesReportsTheCountersTheLastProcessSaved() {
        live.set(new QueryStats(40, 12.5, 30, 30, 10));
        monitor().metrics();
        clock.advance(Duration.ofHours(2));
        AtomicReference<QueryStats> none = new AtomicReference<>(QueryStats.EMPTY);
        DefaultMonitor cli = new DefaultMonitor(root, store, clock, MonitorConfig.defaults(), none::get, List::of);
        QueryPerformance p = cli.metrics().performance();
        assertThat(p.source()).isEqualTo(QueryPerformance.Source.PERSISTED);
        assertThat(p.measuredAt()).isEqualTo(NOW);
        assertThat(p.avgQueryMillis()).contains(12.5);
        assertThat(p.cacheHitRate()).contains(0.75);
    }

    @ParameterizedTest(name = "index {0} h old -> {1}")
    @CsvSource({"23, HEALTHY", "24, WARNING", "30, WARNING"})
    void indexFreshness(long hours, HealthStatus expected) throws IOException {
        Trees.index(root, NOW.minus(Duration.ofHours(hours)));
        HealthCheck c = check(monitor().health(), HealthCheck.INDEX_EXISTS);
        assertThat(c.status()).isEqualTo(expected);
        assertThat(c.value()).isEqualTo(hours);
    }

    @Test
    void aMissingIndexIsAWarningWithTheFix() throws IOException {
        Files.delete(root.resolve("global/index.json"));
        HealthCheck c = check(monitor().health(), HealthCheck.INDEX_EXISTS);
        assertThat(c.status()).isEqualTo(HealthStatus.WARNING);
        assertThat(c.message()).contains("Index does not exist").contains("optimize index");
    }

    @ParameterizedTest(name = "backup {0} h old -> {1}")
    @CsvSource({"23, HEALTHY", "24, WARNING", "48, WARNING"})
    void backupFreshness(long hours, HealthStatus expected) {
        backups.clear();
        backups.add(Trees.backup("full_x", NOW.minus(Duration.ofHours(hours)), true));
        assertThat(check(monitor().health(), HealthCheck.RECENT_BACKUP).status()).isEqualTo(expected);
    }

    @Test
    void noBackupOrOnlyUnverifiedBackupsAreWarningsWithAMessage() {
        backups.clear();
        HealthCheck none = check(monitor().health(), HealthCheck.RECENT_BACKUP);
        assertThat(none.status()).isEqualTo(HealthStatus.WARNING);
        assertThat(none.message()).startsWith("No backups found");
        backups.add(Trees.backup("full_y", NOW, false));
        HealthCheck unverified = check(monitor().health(), HealthCheck.RECENT_BACKUP);
        assertThat(unverified.status()).isEqualTo(HealthStatus.WARNING);
        assertThat(unverified.message()).startsWith("No verified backup");
    }

    @Test
    void aCorruptFileIsCriticalNamingTheFileAndIsLeftUntouched() throws IOException {
        Path bad = Trees.write(root.resolve("reviewer/decisions.json"), "[{\"id\":\"d1\",");
        byte[] before = Files.readAllBytes(bad);
        DefaultMonitor m = monitor();
        HealthReport r = m.health();
        HealthCheck c = check(r, HealthCheck.FILE_INTEGRITY);
        assertThat(c.status()).isEqualTo(HealthStatus.CRITICAL);
        assertThat(c.value()).isEqualTo(1);
        assertThat(c.message()).contains("reviewer/decisions.json").contains("not valid JSON");
        assertThat(r.status()).isEqualTo(HealthStatus.CRITICAL);
        assertThat(r.errors()).singleElement().asString().contains("reviewer/decisions.json");
        assertThat(Files.readAllBytes(bad)).isEqualTo(before);
        assertThat(m.alerts()).anySatisfy(a -> {
            assertThat(a.category()).isEqualTo("integrity");
            assertThat(a.level()).isEqualTo(AlertLevel.CRITICAL);
            assertThat(a.message()).isEqualTo("Corrupted file: reviewer/decisions.json");
        });
    }

    @Test
    void wrongShapesAndBrokenGzipAreCorruptButGzipInDotJsonIsFine() throws IOException {
        Trees.writeGzip(root.resolve("zipped/patterns.json"), "[{\"id\":\"a\"},{\"id\":\"b\"}]");
        Trees.write(root.resolve("obj/patterns.json"), "{\"id\":\"a\"}");
        Trees.write(root.resolve("nums/solutions.json"), "[1,2]");
        Path truncated = Trees.writeGzip(root.resolve("trunc/patterns.json.gz"), "[{\"id\":\"a\"}]");
        byte[] gz = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(gz, gz.length - 6));
        HealthReport r = monitor().health();
        HealthCheck c = check(r, HealthCheck.FILE_INTEGRITY);
        assertThat(c.value()).isEqualTo(3);
        assertThat(c.message()).contains("obj/patterns.json").contains("nums/solutions.json")
                .contains("trunc/patterns.json.gz").doesNotContain("zipped");
        assertThat(r.metrics().agents()).filteredOn(a -> a.agent().equals("zipped")).singleElement()
                .satisfies(a -> {
                    assertThat(a.patterns()).isEqualTo(2);
                    assertThat(a.compressedFiles()).isEqualTo(1);
                });
    }

    @Test
    void healthNeverChangesAnItemFile() throws IOException {
        Path p = root.resolve("coder/patterns.json");
        byte[] before = Files.readAllBytes(p);
        long modified = Files.getLastModifiedTime(p).toMillis();
        monitor().report();
        assertThat(Files.readAllBytes(p)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(p).toMillis()).isEqualTo(modified);
        try (var files = Files.list(root.resolve("coder"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("patterns.json");
        }
    }

    @Test
    void aMissingRootIsCriticalAndNothingIsCreated() {
        root = dir.resolve("nowhere");
        HealthReport r = monitor().health();
        assertThat(r.status()).isEqualTo(HealthStatus.CRITICAL);
        assertThat(check(r, HealthCheck.DIRECTORY_STRUCTURE).message()).startsWith("Memory directory does not exist");
        assertThat(Files.exists(root)).isFalse();
    }

    @Test
    void aTreeWithoutConfigFolderIsIncompleteButNotCritical() throws IOException {
        Files.delete(root.resolve("config"));
        HealthCheck c = check(monitor().health(), HealthCheck.DIRECTORY_STRUCTURE);
        assertThat(c.status()).isEqualTo(HealthStatus.WARNING);
        assertThat(c.message()).contains("missing config/");
    }

    @Test
    void patternAgeAndSuccessThresholdsRaiseAlerts() {
        AgentId coder = AgentId.of("coder");
        store.apply(List.of(
                Change.upsert(coder, TestItems.pattern("fresh", "coder", 0.9, 5, 0.8, NOW.minus(Duration.ofDays(59)))),
                Change.upsert(coder, TestItems.pattern("old", "coder", 0.9, 5, 0.8, NOW.minus(Duration.ofDays(60)))),
                Change.upsert(coder, TestItems.pattern("ancient", "coder", 0.9, 5, 0.8, NOW.minus(Duration.ofDays(90)))),
                Change.upsert(coder, TestItems.pattern("weak", "coder", 0.29, 5, 0.8, NOW)),
                Change.upsert(coder, TestItems.pattern("failing", "coder", 0.19, 5, 0.8, NOW)),
                Change.upsert(coder, TestItems.pattern("new", "coder", 0.0, 2, 0.8, NOW))));
        DefaultMonitor m = monitor();
        MetricsSnapshot s = m.metrics();
        assertThat(s.patternsPastAgeWarning()).isEqualTo(2);
        assertThat(s.patternsPastAgeCritical()).isEqualTo(1);
        assertThat(s.patternsBelowSuccessWarning()).isEqualTo(2);
        assertThat(s.patternsBelowSuccessCritical()).isEqualTo(1);
        assertThat(m.alerts()).extracting(Alert::condition).contains("patterns.age", "patterns.success_rate");
    }

    @Test
    void aPersistingConditionUpdatesOneOpenAlertAndClearsAutomatically() {
        live.set(new QueryStats(100, 120, 150, 90, 10));
        DefaultMonitor m = monitor();
        m.health();
        clock.advance(Duration.ofHours(1));
        m.health();
        m.report();
        List<Alert> open = m.alerts().stream().filter(a -> a.condition().equals("performance.query_time")).toList();
        assertThat(open).singleElement().satisfies(a -> {
            assertThat(a.occurrences()).isEqualTo(3);
            assertThat(a.timestamp()).isEqualTo(NOW);
            assertThat(a.id()).isEqualTo("alert_" + NOW.getEpochSecond());
            assertThat(a.details().get(Alert.LAST_SEEN)).isEqualTo(NOW.plus(Duration.ofHours(1)).toString());
        });

        live.set(new QueryStats(100, 5, 8, 90, 10));
        clock.advance(Duration.ofHours(1));
        m.health();
        assertThat(m.alerts()).noneMatch(a -> a.category().equals("performance"));
        Alert resolved = m.allAlerts().stream().filter(a -> a.condition().equals("performance.query_time"))
                .findFirst().orElseThrow();
        assertThat(resolved.resolved()).isTrue();
        assertThat(resolved.resolvedAt()).isEqualTo(NOW.plus(Duration.ofHours(2)));

        clock.advance(Duration.ofDays(7));
        m.health();
        assertThat(m.allAlerts()).extracting(Alert::id).contains(resolved.id());
        clock.advance(Duration.ofSeconds(1));
        m.health();
        assertThat(m.allAlerts()).extracting(Alert::id).doesNotContain(resolved.id());
    }

    @Test
    void loomsUndeduplicatedAlertsAreResolvedAndOthersKept() throws IOException {
        Trees.write(root.resolve("monitoring/alerts.json"), """
                {"alerts": [
                 {"id": "alert_1", "timestamp": "2026-05-31T10:00:00", "level": "warning", "category": "performance",
                  "message": "Low cache hit rate: 0.0%", "details": {"cache_hit_rate": 0.0, "nested": {"a": [1]}},
                  "resolved": false, "resolved_at": null},
                 {"id": "alert_2", "timestamp": "2026-05-31T10:00:00", "level": "error", "category": "custom",
                  "message": "someone else's", "details": {}, "resolved": false, "resolved_at": null}
                ]}""");
        DefaultMonitor m = monitor();
        m.health();
        assertThat(m.alerts()).extracting(Alert::id).containsExactly("alert_2");
        JsonNode file = Json.MAPPER.readTree(root.resolve("monitoring/alerts.json").toFile());
        assertThat(file.get("alerts").get(0).get("details").get("nested").toString()).isEqualTo("{\"a\":[1]}");
        assertThat(file.get("alerts").get(0).get("resolved").asBoolean()).isTrue();
    }

    @Test
    void anUnreadableAlertsFileIsLeftUntouchedAndReported() throws IOException {
        Path alerts = Trees.write(root.resolve("monitoring/alerts.json"), "{\"alerts\": [");
        byte[] before = Files.readAllBytes(alerts);
        live.set(new QueryStats(100, 500, 500, 0, 100));
        DefaultMonitor m = monitor();
        HealthReport r = m.health();
        assertThat(Files.readAllBytes(alerts)).isEqualTo(before);
        assertThat(r.warnings()).anyMatch(w -> w.contains("alerts.json") && w.contains("left untouched"));
        assertThatThrownBy(m::alerts).isInstanceOf(CorruptDataException.class).hasMessageContaining("alerts.json");
        assertThat(m.report().activeAlerts()).isEmpty();
    }

    @Test
    void raisedAlertsOutsideHealthStayUntilResolved() {
        DefaultMonitor m = monitor();
        Alert a = m.raise(AlertLevel.ERROR, "maintenance", "maintenance.backup", "Scheduled backup failed: disk",
                Map.of());
        m.raise(AlertLevel.ERROR, "maintenance", "maintenance.backup", "Scheduled backup failed: disk", Map.of());
        m.health();
        assertThat(m.alerts()).singleElement().satisfies(x -> {
            assertThat(x.id()).isEqualTo(a.id());
            assertThat(x.occurrences()).isEqualTo(2);
        });
        assertThat(m.resolve("maintenance.backup")).isTrue();
        assertThat(m.resolve("maintenance.backup")).isFalse();
        assertThat(m.alerts()).isEmpty();
        assertThatThrownBy(() -> m.raise(AlertLevel.INFO, "memory", "x", "y", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void alertIdsStayUniqueWithinOneSecond() {
        DefaultMonitor m = monitor();
        m.raise(AlertLevel.INFO, "maintenance", "a", "a", Map.of());
        m.raise(AlertLevel.INFO, "maintenance", "b", "b", Map.of());
        m.raise(AlertLevel.INFO, "maintenance", "c", "c", Map.of());
        long s = NOW.getEpochSecond();
        assertThat(m.alerts()).extracting(Alert::id).containsExactly("alert_" + s, "alert_" + s + "_2",
                "alert_" + s + "_3");
    }

    @Test
    void historyIsCappedAndTimeFiltered() throws IOException {
        DefaultMonitor m = monitor(MonitorConfig.builder().metricsHistoryLimit(3).build());
        for (int i = 0; i < 5; i++) {
            m.metrics();
            clock.advance(Duration.ofHours(10));
        }
        JsonNode file = Json.MAPPER.readTree(root.resolve("monitoring/metrics.json").toFile());
        assertThat(file.get("history").size()).isEqualTo(3);
        assertThat(file.get("history").get(0).fieldNames()).toIterable().containsExactly("timestamp",
                "total_size_bytes", "agent_count", "pattern_count", "solution_count", "decision_count",
                "avg_pattern_size_bytes", "largest_agent", "largest_agent_size_bytes", "compressed_files",
                "uncompressed_files", "index_size_bytes");
        // now = NOW + 50 h; kept entries at 20 h, 30 h, 40 h
        assertThat(m.history(Duration.ofHours(24))).extracting(x -> x.timestamp())
                .containsExactly(NOW.plus(Duration.ofHours(30)), NOW.plus(Duration.ofHours(40)));
        assertThat(m.history(Duration.ofDays(30))).hasSize(3);
    }

    @Test
    void reportHasLoomsShape() {
        MonitorReport r = monitor().report();
        Map<String, Object> shape = r.toLoomShape();
        assertThat(shape).containsKeys("timestamp", "status", "memory", "performance", "health_checks", "alerts");
        assertThat(keys(shape.get("memory"))).contains("total_mb", "agents", "patterns", "solutions",
                "decisions", "largest_agent");
        assertThat(keys(shape.get("performance"))).contains("avg_query_time_ms", "cache_hit_rate",
                "index_build_time_ms");
        Map<?, ?> checks = (Map<?, ?>) shape.get("health_checks");
        assertThat(checks.get("total")).isEqualTo(6);
        assertThat(checks.get("passed")).isEqualTo(6);
        assertThat(keys(((Map<?, ?>) shape.get("alerts")).get("by_level"))).containsExactly("info", "warning",
                "error", "critical");
    }

    static List<Object> keys(Object map) {
        return new ArrayList<>(((Map<?, ?>) map).keySet());
    }

    @Test
    void aBrokenSinkNeverBreaksMonitoring() {
        List<MetricsSnapshot> seen = new ArrayList<>();
        MonitorConfig c = MonitorConfig.builder().metricsSink(s -> {
            seen.add(s);
            throw new IllegalStateException("sink down");
        }).build();
        HealthReport r = monitor(c).health();
        assertThat(seen).singleElement().isEqualTo(r.metrics());
    }
}
