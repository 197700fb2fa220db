package dev.aml.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.AgentId;
import dev.aml.core.Pattern;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.PatternDraft;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentToolkitTest {

    private static final AgentId CODER = AgentId.of("coder");
    private static final AgentId BILLING = AgentId.of("billing");

    @Test
    void recordsLandInTheNamedAgentAndOutcomesOnlyReachItsOwnItems() {
        try (MemoryManager aml = MemoryManager.builder().build()) {
            AgentToolkit tools = AgentToolkit.of(aml);
            String recorded = tools.recordPattern(CODER, "api-call", "retry with backoff", "timeouts clear up",
                    List.of("http"));
            assertThat(recorded).startsWith("recorded pattern ");
            String id = recorded.substring("recorded pattern ".length());
            assertThat(tools.find(CODER, id)).isPresent();
            assertThat(tools.find(BILLING, id)).isEmpty();

            assertThat(tools.recordOutcome(BILLING, id, true, 5)).startsWith("No item with id " + id);
            assertThat(tools.recordOutcome(CODER, id, true, 5)).startsWith("recorded success for pattern " + id)
                    .contains("[success 75% of 2 runs");
            assertThat(tools.recordOutcome(CODER, id, true, -1)).contains("must not be negative");
            assertThat(tools.recall(CODER, " ")).contains("non-empty task");
            assertThat(tools.recall(BILLING, "retry with backoff")).isEqualTo(MemoryBrief.NOTHING);
            assertThat(tools.recall(CODER, "retry with backoff")).startsWith(MemoryBrief.HEADER + "\n1. pattern " + id);
        }
    }

    @Test
    void theBriefIsOneBoundedLinePerItem() {
        try (MemoryManager aml = MemoryManager.builder().build()) {
            Pattern p = aml.agent("coder").patterns().record(PatternDraft.of("api-call", Map.of())
                    .approach("retry\nwith   backoff " + "x".repeat(500), ""));
            String line = MemoryBrief.line(p);
            assertThat(line).doesNotContain("\n").startsWith("pattern " + p.id() + ": api-call: retry with backoff")
                    .endsWith("[success 50% of 1 runs, confidence 0.30]");
            assertThat(line.length()).isLessThan(MemoryBrief.MAX_FIELD * 2 + 100);
            assertThat(AgentToolkit.of(aml).findSolutions(CODER, "", null)).contains("error type");
        }
    }
}
