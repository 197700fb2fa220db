package dev.aml.spring.ai;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

/**
 * A chat model that plays a script, no network: each call answers with the next step, which sees
 * the prompt so far (system message, tool results). ChatClient's tool-calling advisor runs the tools
 * a step asks for and calls the model again, as with a real provider.
 */
final class ScriptedChatModel implements ChatModel {

    private final Deque<Function<Prompt, AssistantMessage>> steps = new ArrayDeque<>();
    final List<Prompt> prompts = new ArrayList<>();

    ScriptedChatModel then(Function<Prompt, AssistantMessage> step) {
        steps.add(step);
        return this;
    }

    static AssistantMessage toolCall(String name, String argumentsJson) {
        return AssistantMessage.builder().content("")
                .toolCalls(List.of(new AssistantMessage.ToolCall("call-" + name, "function", name, argumentsJson)))
                .build();
    }

    static AssistantMessage answer(String text) {
        return new AssistantMessage(text);
    }

    /** @return the text the last tool returned, as the model sees it */
    static String lastToolResult(Prompt prompt) {
        List<Message> messages = prompt.getInstructions();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof ToolResponseMessage t) {
                String data = t.getResponses().get(0).responseData();
                return data.startsWith("\"") ? unquote(data) : data;
            }
        }
        throw new AssertionError("no tool result in " + messages);
    }

    private static String unquote(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, String.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public ChatResponse call(Prompt prompt) {
        prompts.add(prompt);
        Function<Prompt, AssistantMessage> step = steps.poll();
        if (step == null) {
            throw new AssertionError("the script has no step left for " + prompt.getInstructions());
        }
        return new ChatResponse(List.of(new Generation(step.apply(prompt))));
    }

    @Override
    public ChatOptions getOptions() {
        return ToolCallingChatOptions.builder().build();
    }
}
