package com.example.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.PatternDraft;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole app with a scripted model instead of a provider (no network, no key): the model recalls,
 * gets the pattern that worked before, reports its outcome, and AML has learned it.
 */
@SpringBootTest
class CodingAgentTest {

    @DynamicPropertySource
    static void memory(DynamicPropertyRegistry registry) {
        try {
            Path root = Files.createTempDirectory("agent").resolve("memory");
            registry.add("aml.location", root::toString);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TestConfiguration
    static class Model {
        @Bean
        ScriptedModel chatModel() {
            return new ScriptedModel();
        }
    }

    @Autowired
    CodingAgent agent;
    @Autowired
    MemoryManager aml;
    @Autowired
    ScriptedModel model;

    @Test
    void theAgentUsesWhatWorkedBeforeAndTheMemoryLearns() {
        Pattern backoff = aml.agent(CodingAgent.AGENT).patterns().record(PatternDraft.of("api-call", Map.of())
                .approach("retry the payments API with exponential backoff", "its timeouts clear up"));
        aml.agent(CodingAgent.AGENT).patterns().recordOutcome(backoff.id(), Outcome.success());
        java.util.regex.Pattern firstId = java.util.regex.Pattern.compile("^1\\. pattern (\\S+):",
                java.util.regex.Pattern.MULTILINE);

        model.then(p -> toolCall("aml_recall", "{\"task\": \"call the payments API\"}"))
                .then(p -> {
                    Matcher m = firstId.matcher(lastToolResult(p));
                    assertThat(m.find()).isTrue();
                    return toolCall("aml_record_outcome", "{\"id\": \"" + m.group(1) + "\", \"success\": true}");
                })
                .then(p -> new AssistantMessage("Called it with backoff. " + lastToolResult(p)));

        String reply = agent.handle("Call the payments API; it times out now and then");

        assertThat(reply).contains("recorded success for pattern " + backoff.id());
        assertThat(aml.agent(CodingAgent.AGENT).patterns().get(backoff.id()).orElseThrow().executionCount())
                .isEqualTo(3);
        // the advisor put the pattern into the system prompt before the model's first turn
        assertThat(model.firstSystemPrompt).contains("pattern " + backoff.id());
    }

    static AssistantMessage toolCall(String name, String json) {
        return AssistantMessage.builder().content("")
                .toolCalls(List.of(new AssistantMessage.ToolCall("call-" + name, "function", name, json))).build();
    }

    static String lastToolResult(Prompt prompt) {
        List<Message> messages = prompt.getInstructions();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof ToolResponseMessage t) {
                String data = t.getResponses().get(0).responseData();
                return data.startsWith("\"") ? data.substring(1, data.length() - 1).replace("\\n", "\n")
                        .replace("\\\"", "\"") : data;
            }
        }
        throw new AssertionError("no tool result");
    }

    /** Plays a script; ChatClient runs the tools each step asks for. */
    static final class ScriptedModel implements ChatModel {
        private final Deque<Function<Prompt, AssistantMessage>> steps = new ArrayDeque<>();
        volatile String firstSystemPrompt;

        ScriptedModel then(Function<Prompt, AssistantMessage> step) {
            steps.add(step);
            return this;
        }

        @Override
        public ChatResponse call(Prompt prompt) {
            if (firstSystemPrompt == null) {
                firstSystemPrompt = prompt.getSystemMessage().getText();
            }
            return new ChatResponse(List.of(new Generation(steps.remove().apply(prompt))));
        }

        @Override
        public ChatOptions getOptions() {
            return ToolCallingChatOptions.builder().build();
        }
    }
}
