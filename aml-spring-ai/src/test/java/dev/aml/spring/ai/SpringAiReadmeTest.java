package dev.aml.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.agent.MemoryBrief;
import dev.aml.agent.testing.PaymentsMemory;
import dev.aml.core.Pattern;
import dev.aml.core.readme.ReadmeExamples;
import dev.aml.maintenance.MemoryManager;
import dev.aml.spring.boot.AmlAutoConfiguration;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The README's Spring AI example runs (with a scripted model) on the starter's manager, opened from
 * {@code aml.location}, and the README shows exactly it.
 */
class SpringAiReadmeTest {

    // README:start
    @Configuration(proxyBeanMethods = false)
    static class CoderAgent {
        @Bean // aml: the starter's MemoryManager, on aml.location (a directory, jdbc:postgresql:..., memory:)
        ChatClient coderClient(ChatModel chatModel, MemoryManager aml) {
            return ChatClient.builder(chatModel)
                    .defaultAdvisors(AmlMemoryAdvisor.builder(aml).agent("coder").build()) // what worked, in the prompt
                    .defaultTools(AmlTools.forAgent(aml, "coder")) // aml_recall, ...: the application names the agent
                    .build();
        }
    }
    // README:end

    @TempDir
    Path dir;

    private static ScriptedChatModel recallThenAnswer() {
        return new ScriptedChatModel()
                .then(p -> ScriptedChatModel.toolCall("aml_recall", "{\"task\": \"call the payments API\"}"))
                .then(p -> ScriptedChatModel.answer("recall said: " + ScriptedChatModel.lastToolResult(p)));
    }

    private ApplicationContextRunner app(ScriptedChatModel model, String location) {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AmlAutoConfiguration.class))
                .withUserConfiguration(CoderAgent.class).withBean(ChatModel.class, () -> model)
                .withPropertyValues("aml.location=" + location);
    }

    @Test
    void theExampleRunsOnAnEmptyMemory() {
        ScriptedChatModel model = recallThenAnswer();
        app(model, "memory:").run(ctx -> {
            String answer = ctx.getBean(ChatClient.class).prompt().user("Call the payments API").call().content();
            assertThat(answer).isEqualTo("recall said: " + MemoryBrief.NOTHING);
            assertThat(model.prompts.get(0).getSystemMessage().getText()).contains(MemoryBrief.NOTHING);
        });
    }

    @Test
    void theExampleRecallsWhatTheTreeAtTheLocationHolds() {
        Path root = dir.resolve("memory");
        Pattern backoff = PaymentsMemory.treeWithBackoff(root);
        ScriptedChatModel model = recallThenAnswer();
        app(model, root.toString()).run(ctx -> {
            String answer = ctx.getBean(ChatClient.class).prompt().user("Call the payments API").call().content();
            assertThat(answer).contains("1. pattern " + backoff.id() + ": api-call: retry the payments API");
            assertThat(model.prompts.get(0).getSystemMessage().getText()).contains("pattern " + backoff.id());
        });
    }

    @Test
    void theReadmeShowsTheExample() {
        ReadmeExamples.assertReadmeShows(Path.of("src/test/java/dev/aml/spring/ai/SpringAiReadmeTest.java"),
                Path.of("../README.md"), "spring-ai-example");
    }
}
