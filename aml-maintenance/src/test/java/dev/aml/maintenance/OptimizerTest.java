package dev.aml.maintenance;

import static dev.aml.maintenance.Fixtures.daysAgo;
import static dev.aml.maintenance.Fixtures.healthy;
import static dev.aml.maintenance.Fixtures.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aml.core.AgentId;
import dev.aml.core.CorruptDataException;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import dev.aml.maintenance.internal.io.AtomicFiles;
import dev.aml.maintenance.internal.optimize.BloomFilter;
import dev.aml.maintenance.internal.optimize.RuntimeHooks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizerTest {

    private static final AgentId CODER = AgentId.of("coder");

    @TempDir
    Path tmp;

    /** Records what the optimizer asked of the runtime. */
    static final class FakeRuntime implements RuntimeHooks {
        int rebuilds;
        final List<MemoryQuery> warmed = new ArrayList<>();
        long capacity = 10;

        @Override
        public void rebuildIndex() {
            rebuilds++;
        }

        @Override
        public void warm(MemoryQuery query) {
            warmed.add(query);
        }

        @Override
        public long cacheCapacity() {
            return capacity;
        }
    }

    private static Optimizer optimizer(TestStore store, RuntimeHooks hooks) {
        return new Optimizer(store, Fixtures.CLOCK, hooks, false);
    }

    private static Pattern withBody(Pattern p, String bodyJson) {
        return new Pattern(p.id(), p.agent(), p.timestamp(), RawJson.parse(bodyJson), p.metrics(), p.evolution(),
                p.tags(), p.active(), p.extra());
    }

    private static List<String> ids(TestStore store, ItemKind kind) {
        return store.items(CODER, kind).stream().map(MemoryItem::id).toList();
    }

    @Test
    void gcRemovesIdlessItemsAndOlderDuplicateIdsAndReportsExactDuplicates() {
        TestStore store = new TestStore().withList(CODER, ItemKind.PATTERN, List.of(
                healthy("a", "coder", 10),
                healthy("", "coder", 1),
                healthy("a", "coder", 2),
                withBody(healthy("b", "coder", 5), "{\"type\":\"retry\",\"steps\":[\"wait\",\"retry\"]}"),
                withBody(healthy("c", "coder", 6), "{ \"steps\": [\" wait \", \"retry\"], \"type\": \"retry\" }"),
                healthy("d", "coder", 7)));
        TestStore before = new TestStore().withList(CODER, ItemKind.PATTERN, store.items(CODER, ItemKind.PATTERN));

        OptimizeReport dry = optimizer(store, RuntimeHooks.none()).dryRun().gc();
        assertThat(dry.dryRun()).isTrue();
        assertThat(store.items(CODER, ItemKind.PATTERN)).isEqualTo(before.items(CODER, ItemKind.PATTERN));

        OptimizeReport r = optimizer(store, RuntimeHooks.none()).gc();
        assertThat(r.counts()).isEqualTo(dry.counts());
        assertThat(r.count("invalid_items")).isEqualTo(1);
        assertThat(r.count("duplicate_ids")).isEqualTo(1);
        assertThat(r.count("exact_duplicates")).isEqualTo(1);
        assertThat(r.count("merged")).isZero();
        // the newer copy of 'a' (2 days) is kept at its own position; c is only reported
        assertThat(ids(store, ItemKind.PATTERN)).containsExactly("a", "b", "c", "d");
        assertThat(store.items(CODER, ItemKind.PATTERN).get(0).lastUsed()).isEqualTo(daysAgo(2));
        assertThat(r.changes()).anySatisfy(c -> assertThat(c).contains("'c' repeat(s) the body of 'b'"));
    }

    @Test
    void mergingExactDuplicatesCombinesMetricsWithTheLearningFormulas() {
        Pattern b = pattern("b", "coder", 1.0, 3, 0.9, daysAgo(50), daysAgo(5)).withTags(List.of("x", "y"));
        Pattern c = new Pattern("c", "coder", daysAgo(40), b.pattern(),
                new PatternMetrics(0.0, 1, 100, 2, RawJson.emptyObject()),
                new dev.aml.core.Evolution(daysAgo(60), daysAgo(1), 4, 0.5, RawJson.emptyObject()),
                List.of("y", "z"), false, RawJson.emptyObject());
        TestStore store = new TestStore().withList(CODER, ItemKind.PATTERN, List.of(healthy("a", "coder", 1), b, c));
        OptimizeReport r = optimizer(store, RuntimeHooks.none()).gc(true);
        assertThat(r.count("merged")).isEqualTo(1);
        assertThat(ids(store, ItemKind.PATTERN)).containsExactly("a", "b");
        Pattern m = (Pattern) store.items(CODER, ItemKind.PATTERN).get(1);
        assertThat(m.executionCount()).isEqualTo(4);
        assertThat(m.successRate()).isEqualTo(0.75);                  // (1.0·3 + 0.0·1) / 4
        assertThat(m.confidence()).isEqualTo((0.9 * 3 + 0.5) / 4);
        assertThat(m.metrics().avgTimeSavedMs()).isEqualTo(25.0);     // (0·3 + 100·1) / 4
        assertThat(m.metrics().errorPreventionCount()).isEqualTo(2);
        assertThat(m.evolution().created()).isEqualTo(daysAgo(60));
        assertThat(m.evolution().lastUsed()).isEqualTo(daysAgo(1));
        assertThat(m.evolution().refinements()).isEqualTo(4);
        assertThat(m.tags()).containsExactly("x", "y", "z");
        assertThat(m.active()).isTrue();
    }

    @Test
    void gcNeverTouchesUnreadableAgentsAndCleansOnlyStaleTempAndProvablyEmptyFiles() throws Exception {
        Path root = tmp.resolve("memory");
        Files.createDirectories(root.resolve("coder"));
        Files.createDirectories(root.resolve("broken"));
        Files.writeString(root.resolve("broken/patterns.json"), "{corrupt");
        Files.writeString(root.resolve("coder/solutions.json"), "[]");
        Files.writeString(root.resolve("coder/patterns.json"), "[]");
        Files.write(root.resolve("coder/patterns.json.gz"), AtomicFiles.gzip("[{\"id\":\"old\"}]".getBytes(
                java.nio.charset.StandardCharsets.UTF_8), 9));
        Path stale = root.resolve("coder/.patterns.json.123.aml-tmp");
        Path fresh = root.resolve("coder/patterns.json.tmp");
        Files.writeString(stale, "half");
        Files.writeString(fresh, "writing");
        Files.setLastModifiedTime(stale, FileTime.from(Fixtures.NOW.minusSeconds(2 * 3600)));
        Files.setLastModifiedTime(fresh, FileTime.from(Fixtures.NOW.minusSeconds(60)));
        TestStore store = new TestStore(root).with(healthy("p", "coder", 1));
        store.unreadable.put(AgentId.of("broken"), new CorruptDataException("broken/patterns.json is not valid JSON"));

        OptimizeReport r = optimizer(store, RuntimeHooks.none()).gc();
        assertThat(r.ok()).isFalse();
        assertThat(r.count("unreadable_files")).isEqualTo(1);
        assertThat(r.errors()).singleElement().asString().contains("'broken'", "never deletes");
        assertThat(Files.readString(root.resolve("broken/patterns.json"))).isEqualTo("{corrupt");
        assertThat(r.count("temp_files_removed")).isEqualTo(1);
        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
        assertThat(r.count("empty_files_removed")).isEqualTo(1);
        assertThat(root.resolve("coder/solutions.json")).doesNotExist();
        assertThat(root.resolve("coder/patterns.json")).as("the store holds patterns").exists();
        assertThat(r.count("orphan_files")).isEqualTo(1);
        assertThat(root.resolve("coder/patterns.json.gz")).as("orphans are only reported").exists();
    }

    @Test
    void compressZeroDaysMeansEveryFileAndRoundTrips() throws Exception {
        Path root = tmp.resolve("memory");
        Files.createDirectories(root.resolve("coder"));
        Files.createDirectories(root.resolve("global"));
        String json = "[{\"id\":\"p1\"}]";
        Files.writeString(root.resolve("coder/patterns.json"), json);
        Files.writeString(root.resolve("coder/decisions.json"), "[]");
        Files.writeString(root.resolve("global/index.json"), "{}");
        TestStore store = new TestStore(root).with(healthy("p1", "coder", 1));
        Map<String, String> before = PruneOperationTest.hashes(tmp);

        OptimizeReport dry = optimizer(store, RuntimeHooks.none()).dryRun().compress(0);
        assertThat(dry.count("files_compressed")).isEqualTo(2);
        assertThat(PruneOperationTest.hashes(tmp)).isEqualTo(before);

        OptimizeReport r = optimizer(store, RuntimeHooks.none()).compress(0);
        assertThat(r.count("files_compressed")).isEqualTo(2);
        byte[] gz = Files.readAllBytes(root.resolve("coder/patterns.json"));
        assertThat(AtomicFiles.isGzip(gz)).isTrue();
        assertThat(new String(AtomicFiles.gunzip(gz), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(json);
        assertThat(Files.readString(root.resolve("global/index.json"))).as("global/ is never compressed")
                .isEqualTo("{}");
        assertThat(optimizer(store, RuntimeHooks.none()).compress(0).count("files_compressed")).isZero();
        assertThatThrownBy(() -> optimizer(store, RuntimeHooks.none()).compress(-1))
                .hasMessageContaining("ageDays must be >= 0");
    }

    @Test
    void compressSkipsFilesYoungerThanTheAge() throws Exception {
        Path root = tmp.resolve("memory");
        Files.createDirectories(root.resolve("coder"));
        Files.writeString(root.resolve("coder/patterns.json"), "[{\"id\":\"p1\"}]");
        Files.writeString(root.resolve("coder/solutions.json"), "[{\"id\":\"s1\"}]");
        Files.setLastModifiedTime(root.resolve("coder/patterns.json"), FileTime.from(daysAgo(31)));
        Files.setLastModifiedTime(root.resolve("coder/solutions.json"), FileTime.from(daysAgo(29)));
        TestStore store = new TestStore(root).with(healthy("p1", "coder", 1));
        OptimizeReport r = optimizer(store, RuntimeHooks.none()).compress(30);
        assertThat(r.count("files_compressed")).isEqualTo(1);
        assertThat(AtomicFiles.isGzip(Files.readAllBytes(root.resolve("coder/patterns.json")))).isTrue();
        assertThat(AtomicFiles.isGzip(Files.readAllBytes(root.resolve("coder/solutions.json")))).isFalse();
    }

    @Test
    void rebuildIndexWritesLoomsIndexJsonAndABloomFilter() throws Exception {
        Path root = tmp.resolve("memory");
        TestStore store = new TestStore(root).with(healthy("p1", "coder", 1), healthy("p2", "tester", 1),
                dev.aml.core.contract.TestItems.solution("s1", "coder", true), healthy("", "coder", 1));
        FakeRuntime runtime = new FakeRuntime();
        OptimizeReport dry = optimizer(store, runtime).dryRun().rebuildIndex();
        assertThat(dry.count("indexed")).isEqualTo(3);
        assertThat(root.resolve("global/index.json")).doesNotExist();
        assertThat(runtime.rebuilds).isZero();

        OptimizeReport r = optimizer(store, runtime).rebuildIndex();
        assertThat(runtime.rebuilds).isEqualTo(1);
        assertThat(r.count("skipped_without_id")).isEqualTo(1);
        JsonNode index = new ObjectMapper().readTree(root.resolve("global/index.json").toFile());
        assertThat(index.get("version").asText()).isEqualTo("1.0.0");
        assertThat(index.get("entries")).hasSize(3);
        JsonNode first = index.get("entries").get(0);
        List<String> names = new ArrayList<>();
        first.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("id", "agent", "item_type", "timestamp", "tags", "confidence",
                "success_rate", "file_path", "offset", "size");
        assertThat(first.get("item_type").asText()).isEqualTo("pattern");
        assertThat(first.get("file_path").asText()).endsWith("coder/patterns.json");
        assertThat(Files.readString(root.resolve("global/index.json"))).contains("\"id\": \"p1\"");
        BloomFilter bloom = BloomFilter.fromBytes(Files.readAllBytes(root.resolve("global/aml-bloom.bin")));
        assertThat(bloom.mightContain("p1")).isTrue();
        assertThat(bloom.mightContain("s1")).isTrue();
        assertThat(bloom.size()).isEqualTo(9_585);
    }

    @Test
    void warmCacheRunsTheLikelyQueriesUpTo80PercentOfTheCache() {
        TestStore store = new TestStore();
        for (int i = 0; i < 12; i++) {
            store.with(pattern("hot-" + i, "agent-" + i, 0.9, 10, 0.9, daysAgo(1), daysAgo(1)).withTags(List.of("t")));
        }
        store.with(pattern("cold", "coder", 0.5, 10, 0.9, daysAgo(1), daysAgo(1)));
        FakeRuntime runtime = new FakeRuntime();
        OptimizeReport dry = optimizer(store, runtime).dryRun().warmCache();
        assertThat(runtime.warmed).isEmpty();
        OptimizeReport r = optimizer(store, runtime).warmCache();
        assertThat(r.count("candidates")).isEqualTo(12);
        assertThat(r.count("queries")).isEqualTo(8).isEqualTo(dry.count("queries"));
        assertThat(runtime.warmed).hasSize(8).allSatisfy(q -> {
            assertThat(q.minConfidence()).isEqualTo(0.7);
            assertThat(q.agents()).doesNotContain(CODER);
        });
        runtime.capacity = 0;
        assertThat(optimizer(store, runtime).warmCache().count("queries")).isZero();
    }

    @Test
    void allRunsGcCompressIndexWarmInThatOrder() {
        TestStore store = new TestStore().with(healthy("a", "coder", 1));
        OptimizeReport r = optimizer(store, new FakeRuntime()).all();
        assertThat(r.steps()).extracting(OptimizeReport::operation)
                .containsExactly("gc", "compress", "index", "warm-cache");
        assertThat(r.ok()).isTrue();
    }
}
