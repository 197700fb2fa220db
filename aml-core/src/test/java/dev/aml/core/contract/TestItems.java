package dev.aml.core.contract;

import dev.aml.core.Decision;
import dev.aml.core.DecisionOutcome;
import dev.aml.core.Effectiveness;
import dev.aml.core.Evolution;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import dev.aml.core.Solution;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Small fixture builders for tests of every module (published in aml-core's test-jar).
 * Values are Loom-shaped and deterministic; tests override what they care about with the withers
 * of the records.
 */
public final class TestItems {

    /** A fixed instant tests use as "now" unless they need another. */
    public static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private TestItems() {
    }

    /**
     * @param id the id
     * @param agent the agent
     * @return a healthy pattern created 10 days before {@link #NOW}
     */
    public static Pattern pattern(String id, String agent) {
        return pattern(id, agent, 0.8, 5, 0.7, NOW.minusSeconds(10 * 86_400L));
    }

    /**
     * @param id the id
     * @param agent the agent
     * @param successRate the success rate
     * @param executions the execution count
     * @param confidence the confidence
     * @param lastUsed creation and last-use time
     * @return a pattern with those statistics
     */
    public static Pattern pattern(String id, String agent, double successRate, long executions, double confidence,
            Instant lastUsed) {
        return new Pattern(id, agent, lastUsed,
                RawJson.of(Map.of("type", "retry", "approach", Map.of("technique", "backoff " + id,
                        "rationale", "transient faults"))),
                new PatternMetrics(successRate, executions, 100, 0, RawJson.emptyObject()),
                new Evolution(lastUsed, lastUsed, 0, confidence, RawJson.emptyObject()),
                List.of("http"), true, RawJson.emptyObject());
    }

    /**
     * @param id the id
     * @param agent the agent
     * @param worked whether it worked
     * @return a solution recorded 5 days before {@link #NOW}
     */
    public static Solution solution(String id, String agent, boolean worked) {
        return new Solution(id, agent, NOW.minusSeconds(5 * 86_400L),
                RawJson.of(Map.of("errorType", "TypeError", "errorMessage", "x is undefined")),
                RawJson.of(Map.of("rootCause", "missing null check", "fixApproach", "guard", "prevention", "lint")),
                new Effectiveness(worked, 15, 0, 0, RawJson.emptyObject()), List.of(), true, 1,
                RawJson.emptyObject());
    }

    /**
     * @param id the id
     * @param agent the agent
     * @param wouldRepeat the outcome, or {@code null} for a decision without outcome
     * @return a decision recorded 20 days before {@link #NOW}
     */
    public static Decision decision(String id, String agent, Boolean wouldRepeat) {
        return new Decision(id, agent, NOW.minusSeconds(20 * 86_400L),
                RawJson.of(Map.of("type", "architecture", "question", "REST or gRPC?", "chosenOption", "REST")),
                wouldRepeat == null ? null : DecisionOutcome.of(wouldRepeat), List.of("api"), true, null,
                RawJson.emptyObject());
    }
}
