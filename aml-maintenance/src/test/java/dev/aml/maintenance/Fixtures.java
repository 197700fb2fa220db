package dev.aml.maintenance;

import dev.aml.core.Decision;
import dev.aml.core.DecisionOutcome;
import dev.aml.core.Evolution;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import dev.aml.core.contract.TestItems;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Builders for prune tests; "now" is {@link TestItems#NOW}. */
final class Fixtures {
    static final Instant NOW = TestItems.NOW;
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private Fixtures() {
    }

    static Instant daysAgo(double days) {
        return NOW.minusSeconds(Math.round(days * 86_400));
    }

    static Pattern pattern(String id, String agent, double success, long executions, double confidence,
            @Nullable Instant created, @Nullable Instant lastUsed) {
        return new Pattern(id, agent, created,
                RawJson.of(Map.of("type", "retry", "approach", Map.of("technique", "t-" + id))),
                new PatternMetrics(success, executions, 0, 0, RawJson.emptyObject()),
                new Evolution(created, lastUsed, 0, confidence, RawJson.emptyObject()),
                List.of("x"), true, RawJson.emptyObject());
    }

    /** A healthy, unremarkable pattern last used {@code days} ago (value 0.55). */
    static Pattern healthy(String id, String agent, double days) {
        return pattern(id, agent, 0.8, 5, 0.7, daysAgo(days), daysAgo(days));
    }

    /** A pattern whose value score is 1.0. */
    static Pattern highValue(String id, String agent, double days) {
        return new Pattern(id, agent, daysAgo(days), RawJson.of(Map.of("type", "gold")),
                new PatternMetrics(1.0, 100, 5000, 0, RawJson.emptyObject()),
                new Evolution(daysAgo(days), daysAgo(days), 0, 1.0, RawJson.emptyObject()),
                List.of(), true, RawJson.emptyObject());
    }

    static Decision decision(String id, String agent, double days, @Nullable DecisionOutcome outcome) {
        return new Decision(id, agent, daysAgo(days), RawJson.of(Map.of("question", "q-" + id)), outcome,
                List.of(), true, null, RawJson.emptyObject());
    }

    static PruneOperation op(TestStore store, PruneConfig config, @Nullable Backups backups) {
        return PruneOperation.of(store, CLOCK, config, () -> backups);
    }

    static PrunePlan plan(TestStore store, PruneConfig config) {
        return op(store, config, null).plan();
    }
}
