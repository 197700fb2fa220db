package dev.aml.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/** A chat model that plays a script, no network; AiServices runs the tools a step asks for. */
final class ScriptedChatModel implements ChatModel {

    private final Deque<Function<ChatRequest, AiMessage>> steps = new ArrayDeque<>();
    final List<ChatRequest> requests = new ArrayList<>();

    ScriptedChatModel then(Function<ChatRequest, AiMessage> step) {
        steps.add(step);
        return this;
    }

    static AiMessage toolCall(String name, String argumentsJson) {
        return AiMessage.from(List.of(ToolExecutionRequest.builder().id("call-" + name).name(name)
                .arguments(argumentsJson).build()));
    }

    static String lastToolResult(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof ToolExecutionResultMessage t) {
                return t.text();
            }
        }
        throw new AssertionError("no tool result in " + messages);
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        requests.add(request);
        Function<ChatRequest, AiMessage> step = steps.poll();
        if (step == null) {
            throw new AssertionError("the script has no step left for " + request.messages());
        }
        return ChatResponse.builder().aiMessage(step.apply(request)).build();
    }
}
