package dev.aml.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.readme.ReadmeExamples;
import dev.aml.maintenance.MemoryManager;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;

/** The README's Spring AI example runs (with a scripted model), and the README shows exactly it. */
class SpringAiReadmeTest {

    @Test
    void theExampleRuns() {
        ScriptedChatModel scripted = new ScriptedChatModel()
                .then(p -> ScriptedChatModel.toolCall("aml_recall", "{\"task\": \"call the payments API\"}"))
                .then(p -> ScriptedChatModel.answer("recall said: " + ScriptedChatModel.lastToolResult(p)));
        ChatModel chatModel = scripted;
        try (MemoryManager aml = MemoryManager.builder().build()) {
            // README:start
            AmlTools tools = AmlTools.forAgent(aml, "coder");        // the application names the agent, not the model
            ChatClient client = ChatClient.builder(chatModel)
                    .defaultAdvisors(AmlMemoryAdvisor.builder(aml).agent("coder").build()) // what worked, in the prompt
                    .defaultTools(tools)                             // aml_recall, aml_record_outcome, ...
                    .build();
            String answer = client.prompt().user("Call the payments API").call().content();
            // README:end
            assertThat(answer).isEqualTo("recall said: " + dev.aml.agent.MemoryBrief.NOTHING);
            assertThat(scripted.prompts.get(0).getSystemMessage().getText()).contains(dev.aml.agent.MemoryBrief.NOTHING);
        }
    }

    @Test
    void theReadmeShowsTheExample() {
        ReadmeExamples.assertReadmeShows(Path.of("src/test/java/dev/aml/spring/ai/SpringAiReadmeTest.java"),
                Path.of("../README.md"), "spring-ai-example");
    }
}
