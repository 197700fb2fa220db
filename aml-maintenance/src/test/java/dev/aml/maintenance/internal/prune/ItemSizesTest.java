package dev.aml.maintenance.internal.prune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.DecisionOutcome;
import dev.aml.core.MemoryItem;
import dev.aml.core.RawJson;
import dev.aml.core.contract.TestItems;
import dev.aml.loom.LoomJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemSizesTest {

    @Test
    void theEstimateIsCloseToTheCompactLoomJsonTheStoreWrites() {
        dev.aml.core.Decision d = TestItems.decision("d1", "coder", true);
        List<MemoryItem> items = List.of(
                TestItems.pattern("p1", "coder"),
                TestItems.pattern("p2", "coder").withTags(List.of("a", "b", "c")),
                TestItems.solution("s1", "coder", false),
                TestItems.decision("d0", "coder", null),
                d.withOutcome(new DecisionOutcome(RawJson.of(Map.of("apiPerformance", 0.9)), List.of("lesson"),
                        true, List.of(), RawJson.emptyObject()), TestItems.NOW));
        for (MemoryItem item : items) {
            long exact = LoomJson.defaults().writeItem(item).length;
            assertThat((double) ItemSizes.compactSize(item)).as(item.id())
                    .isBetween(exact * 0.85, exact * 1.15);
        }
    }
}
