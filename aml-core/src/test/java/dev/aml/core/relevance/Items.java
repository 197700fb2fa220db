package dev.aml.core.relevance;

import dev.aml.core.Decision;
import dev.aml.core.DecisionOutcome;
import dev.aml.core.Effectiveness;
import dev.aml.core.Evolution;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import dev.aml.core.Solution;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds Loom-shaped items for relevance tests. */
final class Items {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private Items() {
    }

    static Pattern pattern(String id, String type, Map<String, ?> context, String technique, String rationale,
            double successRate, List<String> tags) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("context", context);
        body.put("approach", Map.of("technique", technique, "rationale", rationale));
        body.put("conditions", Map.of("whenApplicable", List.of(), "whenNotApplicable", List.of()));
        return new Pattern(id, "coder", NOW, RawJson.of(body),
                new PatternMetrics(successRate, 20, 0, 0, RawJson.emptyObject()),
                new Evolution(NOW, NOW, 1, successRate, RawJson.emptyObject()), tags, true, RawJson.emptyObject());
    }

    static Solution solution(String id, String errorType, String message, Map<String, ?> context, String rootCause,
            String fix, boolean worked) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("errorType", errorType);
        problem.put("errorMessage", message);
        problem.put("context", context);
        Map<String, Object> solution = new LinkedHashMap<>();
        solution.put("rootCause", rootCause);
        solution.put("fixApproach", fix);
        solution.put("prevention", "");
        return new Solution(id, "coder", NOW, RawJson.of(problem), RawJson.of(solution),
                new Effectiveness(worked, 10, worked ? 2 : 0, 0, RawJson.emptyObject()), List.of(), true, 1,
                RawJson.emptyObject());
    }

    static Decision decision(String id, String type, Map<String, ?> context, String question, String chosen,
            String rationale, boolean wouldRepeat) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("question", question);
        body.put("context", context);
        body.put("chosenOption", chosen);
        body.put("alternativesConsidered", List.of());
        body.put("rationale", rationale);
        return new Decision(id, "coder", NOW, RawJson.of(body), DecisionOutcome.of(wouldRepeat), List.of(), true, NOW,
                RawJson.emptyObject());
    }
}
