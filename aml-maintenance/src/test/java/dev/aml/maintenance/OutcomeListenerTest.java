package dev.aml.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomeListenerTest {

    @Test
    void everyListenerHearsEachOutcomeAndABrokenOneChangesNothing() {
        try (MemoryManager aml = MemoryManager.builder().build()) {
            List<String> heard = new ArrayList<>();
            aml.addOutcomeListener((agent, kind, outcome) -> {
                throw new IllegalStateException("broken listener");
            });
            aml.addOutcomeListener((agent, kind, outcome) -> heard.add(agent + "/" + kind.label() + "/"
                    + outcome.succeeded()));
            String id = aml.agent("coder").patterns().record(PatternDraft.of("retry", Map.of())).id();
            aml.agent("coder").patterns().recordOutcome(id, Outcome.success());
            String d = aml.agent("coder").decisions().record(DecisionDraft.of("architecture", "which db?", "postgres")).id();
            aml.agent("coder").decisions().recordOutcome(d, Outcome.failure());

            assertThat(heard).containsExactly("coder/pattern/true", "coder/decision/false");
            assertThat(aml.agent("coder").patterns().get(id).orElseThrow().executionCount()).isEqualTo(2);
        }
    }
}
