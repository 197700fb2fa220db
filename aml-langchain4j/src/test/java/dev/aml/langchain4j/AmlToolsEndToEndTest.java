package dev.aml.langchain4j;

import static dev.aml.agent.testing.PaymentsMemory.firstId;
import static dev.aml.langchain4j.ScriptedChatModel.lastToolResult;
import static dev.aml.langchain4j.ScriptedChatModel.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.agent.testing.PaymentsMemory;
import dev.aml.core.Pattern;
import dev.aml.maintenance.MemoryManager;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A scripted model recalls, uses the pattern that worked before, reports the outcome; AML learns it. */
class AmlToolsEndToEndTest {

    interface Assistant {
        String chat(String message);
    }

    interface SessionAssistant {
        String chat(@MemoryId String agent, @UserMessage String message);
    }

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
                .then(r -> toolCall("aml_recall", "{\"task\": \"call the payments API, which times out\"}"))
                .then(r -> {
                    recalled[0] = lastToolResult(r);
                    return toolCall("aml_record_outcome", "{\"id\": \"" + firstId(recalled[0])
                            + "\", \"success\": true, \"durationMillis\": 120}");
                })
                .then(r -> AiMessage.from("Done. " + lastToolResult(r)));
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(model)
                .tools(AmlTools.forAgent(aml, "coder")).build();

        String reply = assistant.chat("Call the payments API");

        assertThat(firstId(recalled[0])).isEqualTo(backoff.id());
        assertThat(recalled[0]).contains(once.id()).doesNotContain(othersSecret.id());
        assertThat(aml.agent("coder").patterns().get(backoff.id()).orElseThrow().executionCount())
                .isEqualTo(backoff.executionCount() + 5);
        assertThat(reply).contains("recorded success for pattern " + backoff.id());
        // the tool definitions the model saw offer no agent to choose
        assertThat(model.requests.get(0).toolSpecifications()).extracting(s -> s.name()).containsExactlyInAnyOrder(
                "aml_recall", "aml_find_solutions", "aml_record_pattern", "aml_record_solution", "aml_record_decision",
                "aml_record_outcome");
        assertThat(model.requests.get(0).toolSpecifications().toString()).doesNotContainIgnoringCase("agent");
    }

    @Test
    void theAgentComesFromTheMemoryIdAndAnotherAgentsIdsAreUnknown() {
        String[] seen = new String[2];
        ScriptedChatModel model = new ScriptedChatModel()
                .then(r -> toolCall("aml_recall", "{\"task\": \"payments API with billing's private key\"}"))
                .then(r -> {
                    seen[0] = lastToolResult(r);
                    return toolCall("aml_record_outcome", "{\"id\": \"" + othersSecret.id() + "\", \"success\": false}");
                })
                .then(r -> {
                    seen[1] = lastToolResult(r);
                    return AiMessage.from("ok");
                });
        SessionAssistant assistant = AiServices.builder(SessionAssistant.class).chatModel(model)
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
                .tools(AmlTools.perMemoryId(aml)).build();

        assistant.chat("coder", "Use billing's approach");

        assertThat(seen[0]).contains(backoff.id()).doesNotContain(othersSecret.id());
        assertThat(seen[1]).startsWith("No item with id " + othersSecret.id());
        assertThat(aml.agent("billing").patterns().get(othersSecret.id()).orElseThrow()).isEqualTo(othersSecret);
    }

    @Test
    void theContentRetrieverPutsTheAgentsRelevantItemsIntoThePrompt() {
        ScriptedChatModel model = new ScriptedChatModel().then(r -> AiMessage.from("ok"));
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(model)
                .contentRetriever(AmlContentRetriever.forAgent(aml, "coder")).build();
        assistant.chat("the payments API times out");
        String sent = model.requests.get(0).messages().toString();
        assertThat(sent).contains("pattern " + backoff.id() + ": api-call: retry the payments API")
                .doesNotContain(othersSecret.id());

        List<Content> contents = AmlContentRetriever.forAgent(aml, "coder").retrieve(Query.from("payments API"));
        assertThat(contents).isNotEmpty();
        assertThat(contents.get(0).textSegment().metadata().getString("aml_id")).isEqualTo(backoff.id());
        assertThat(contents.get(0).textSegment().metadata().getString("aml_agent")).isEqualTo("coder");
    }
}
