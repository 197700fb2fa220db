package dev.aml.spring.ai;

import static dev.aml.agent.testing.PaymentsMemory.firstId;
import static dev.aml.spring.ai.ScriptedChatModel.answer;
import static dev.aml.spring.ai.ScriptedChatModel.lastToolResult;
import static dev.aml.spring.ai.ScriptedChatModel.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.agent.testing.PaymentsMemory;
import dev.aml.core.Pattern;
import dev.aml.maintenance.MemoryManager;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.tool.ToolCallback;

/** A scripted model recalls, uses the pattern that worked before, reports the outcome; AML learns it. */
class AmlToolsEndToEndTest {

    private PaymentsMemory memory;
    private MemoryManager aml;
    private Pattern backoff;
    private Pattern once;
    private Pattern othersSecret;

    @BeforeEach
    void memory() {
        memory = PaymentsMemory.create();
        aml = memory.aml();
        backoff = memory.backoff();
        once = memory.once();
        othersSecret = memory.othersSecret();
    }

    @AfterEach
    void close() {
        memory.close();
    }

    @Test
    void theModelRecallsWhatWorkedUsesItAndTheOutcomeIsLearned() {
        String[] recalled = new String[1];
        ScriptedChatModel model = new ScriptedChatModel()
                .then(p -> toolCall("aml_recall", "{\"task\": \"call the payments API, which times out\"}"))
                .then(p -> {
                    recalled[0] = lastToolResult(p);
                    return toolCall("aml_record_outcome", "{\"id\": \"" + firstId(recalled[0])
                            + "\", \"success\": true, \"durationMillis\": 120}");
                })
                .then(p -> answer("Done: retried with backoff. " + lastToolResult(p)));

        String reply = ChatClient.create(model).prompt("Call the payments API").tools(AmlTools.forAgent(aml, "coder"))
                .call().content();

        assertThat(firstId(recalled[0])).isEqualTo(backoff.id());                // what worked before comes first
        assertThat(recalled[0]).contains(once.id()).doesNotContain(othersSecret.id());
        Pattern learned = aml.agent("coder").patterns().get(backoff.id()).orElseThrow();
        assertThat(learned.executionCount()).isEqualTo(backoff.executionCount() + 5); // 4 before, 1 now
        assertThat(learned.successRate()).isGreaterThan(0.9);
        assertThat(reply).contains("recorded success for pattern " + backoff.id());
    }

    @Test
    void theModelCannotReachAnotherAgentsMemory() {
        String[] seen = new String[2];
        ScriptedChatModel model = new ScriptedChatModel()
                .then(p -> toolCall("aml_recall", "{\"task\": \"payments API with billing's private key\"}"))
                .then(p -> {
                    seen[0] = lastToolResult(p);
                    // the model knows (or guesses) billing's id and an agent name: neither helps
                    return toolCall("aml_record_outcome", "{\"id\": \"" + othersSecret.id()
                            + "\", \"success\": false, \"agent\": \"billing\"}");
                })
                .then(p -> {
                    seen[1] = lastToolResult(p);
                    return answer("ok");
                });

        ChatClient.create(model).prompt("Use billing's approach").tools(AmlTools.forAgent(aml, "coder")).call()
                .content();

        assertThat(seen[0]).doesNotContain(othersSecret.id()).doesNotContain("private key");
        assertThat(seen[1]).startsWith("No item with id " + othersSecret.id());
        assertThat(aml.agent("billing").patterns().get(othersSecret.id()).orElseThrow()).isEqualTo(othersSecret);
        // and no tool offers the model an agent to choose
        for (ToolCallback t : AmlTools.forAgent(aml, "coder").getToolCallbacks()) {
            assertThat(t.getToolDefinition().inputSchema()).doesNotContainIgnoringCase("agent");
        }
        assertThat(Arrays.stream(AmlTools.forAgent(aml, "coder").getToolCallbacks())
                .map(t -> t.getToolDefinition().name())).containsExactlyInAnyOrder("aml_recall", "aml_find_solutions",
                        "aml_record_pattern", "aml_record_solution", "aml_record_decision", "aml_record_outcome");
    }

    @Test
    void theAgentCanComeFromTheToolContextTheApplicationSets() {
        String[] recalled = new String[1];
        ScriptedChatModel model = new ScriptedChatModel()
                .then(p -> toolCall("aml_recall", "{\"task\": \"call the payments API\"}"))
                .then(p -> {
                    recalled[0] = lastToolResult(p);
                    return answer("ok");
                });
        ChatClient.create(model).prompt("go").tools(AmlTools.fromToolContext(aml))
                .toolContext(Map.of(AmlTools.AGENT, "billing")).call().content();
        assertThat(recalled[0]).contains(othersSecret.id()).doesNotContain(backoff.id());
    }

    @Test
    void recordedItemsLandInTheApplicationsAgent() {
        ScriptedChatModel model = new ScriptedChatModel()
                .then(p -> toolCall("aml_record_solution", "{\"errorType\": \"java.net.SocketTimeoutException\","
                        + " \"errorMessage\": \"Read timed out\", \"rootCause\": \"no retry\","
                        + " \"fix\": \"retry with backoff\"}"))
                .then(p -> toolCall("aml_find_solutions", "{\"errorType\": \"SocketTimeoutException\"}"))
                .then(p -> answer(lastToolResult(p)));
        String reply = ChatClient.create(model).prompt("x").tools(AmlTools.forAgent(aml, "coder")).call().content();
        assertThat(reply).contains("solution ").contains("retry with backoff");
        assertThat(aml.agent("coder").solutions().query(dev.aml.core.MemoryQuery.solutions())).hasSize(1);
        assertThat(aml.agent("billing").solutions().query(dev.aml.core.MemoryQuery.solutions())).isEmpty();
        assertThat(List.of(reply)).isNotEmpty();
    }
}
