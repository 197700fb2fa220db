package dev.aml.spring.ai;

import dev.aml.agent.AgentToolkit;
import dev.aml.core.AgentId;
import dev.aml.maintenance.MemoryManager;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.metadata.ToolMetadata;
import org.springframework.ai.tool.method.MethodToolCallbackProvider;

/**
 * AML's memory as Spring AI tools: {@code aml_recall}, {@code aml_find_solutions},
 * {@code aml_record_pattern}, {@code aml_record_solution}, {@code aml_record_decision} and
 * {@code aml_record_outcome}. Pass an instance to {@code ChatClient...tools(..)}.
 *
 * <pre>{@code
 * AmlTools tools = AmlTools.forAgent(aml, "coder");              // this client only ever sees "coder"
 * String answer = ChatClient.create(model).prompt("Call the payments API").tools(tools).call().content();
 * }</pre>
 *
 * <p><b>The agent is the application's, never the model's.</b> No tool has an agent parameter: the
 * agent is fixed by {@link #forAgent}, or, with {@link #fromToolContext}, read from the
 * {@link ToolContext} entry {@value #AGENT} that the application sets per request
 * ({@code .toolContext(Map.of(AmlTools.AGENT, "coder"))}), which the model cannot see or change. Ids
 * are looked up in that agent's memory only, so an id of another agent's item is as unknown as a
 * made-up one.
 */
public final class AmlTools implements ToolCallbackProvider {

    /** The {@link ToolContext} key naming the agent, for {@link #fromToolContext}. */
    public static final String AGENT = "aml.agent";

    private final AgentToolkit toolkit;
    private final @Nullable AgentId fixed;
    private volatile ToolCallback @Nullable [] callbacks;

    private AmlTools(AgentToolkit toolkit, @Nullable AgentId fixed) {
        this.toolkit = Objects.requireNonNull(toolkit, "toolkit");
        this.fixed = fixed;
    }

    /**
     * @param aml the memory
     * @param agent the only agent these tools read and write
     * @return the tools
     */
    public static AmlTools forAgent(MemoryManager aml, String agent) {
        return new AmlTools(AgentToolkit.of(aml), AgentId.of(agent));
    }

    /**
     * @param toolkit the operations (and how many items a recall returns)
     * @param agent the only agent these tools read and write
     * @return the tools
     */
    public static AmlTools forAgent(AgentToolkit toolkit, String agent) {
        return new AmlTools(toolkit, AgentId.of(agent));
    }

    /**
     * @param aml the memory
     * @return tools whose agent is the {@link ToolContext} entry {@value #AGENT} of each request
     */
    public static AmlTools fromToolContext(MemoryManager aml) {
        return new AmlTools(AgentToolkit.of(aml), null);
    }

    /**
     * The six tools as callbacks ({@code ChatClient...tools(amlTools)} uses them). Each accepts a
     * request without a tool context, which Spring AI's method callbacks otherwise refuse for methods
     * that take one.
     *
     * @return the callbacks
     */
    @Override
    public ToolCallback[] getToolCallbacks() {
        ToolCallback[] c = callbacks;
        if (c == null) {
            ToolCallback[] methods = MethodToolCallbackProvider.builder().toolObjects(this).build().getToolCallbacks();
            c = new ToolCallback[methods.length];
            for (int i = 0; i < methods.length; i++) {
                c[i] = new AnyContext(methods[i]);
            }
            callbacks = c;
        }
        return c.clone();
    }

    /** Hands a marker tool context to a method callback when the request has none. */
    private record AnyContext(ToolCallback delegate) implements ToolCallback {
        // Spring AI refuses a null or empty context for a method that takes one: hand it a marker entry
        private static final ToolContext EMPTY = new ToolContext(java.util.Map.of("aml.tools", "no tool context"));

        @Override
        public ToolDefinition getToolDefinition() {
            return delegate.getToolDefinition();
        }

        @Override
        public ToolMetadata getToolMetadata() {
            return delegate.getToolMetadata();
        }

        @Override
        public String call(String toolInput) {
            return delegate.call(toolInput, EMPTY);
        }

        @Override
        public String call(String toolInput, @Nullable ToolContext toolContext) {
            return delegate.call(toolInput,
                    toolContext == null || toolContext.getContext().isEmpty() ? EMPTY : toolContext);
        }
    }

    private AgentId agent(@Nullable ToolContext context) {
        if (fixed != null) {
            return fixed;
        }
        Object name = context == null ? null : context.getContext().get(AGENT);
        if (name == null) {
            throw new IllegalStateException("AmlTools.fromToolContext needs the tool context entry '" + AGENT
                    + "' naming the agent: ChatClient...toolContext(Map.of(AmlTools.AGENT, \"coder\"))");
        }
        return name instanceof AgentId id ? id : AgentId.of(name.toString());
    }

    /**
     * @param task the task
     * @param context the request's tool context (set by the application)
     * @return the relevant patterns as a brief
     */
    @Tool(name = "aml_recall", description = "Recall the approaches (patterns) that worked before for a task,"
            + " best first, each with its id, success rate and number of runs. Call it before you start a task.")
    public String recall(@ToolParam(description = "the task, in a sentence") String task,
            @Nullable ToolContext context) {
        return toolkit.recall(agent(context), task);
    }

    /**
     * @param errorType the error type
     * @param errorMessage the message
     * @param context the request's tool context
     * @return the solutions as a brief
     */
    @Tool(name = "aml_find_solutions", description = "Find fixes that worked before for an error, best first,"
            + " each with its id and whether it worked.")
    public String findSolutions(
            @ToolParam(description = "the error or exception type, e.g. java.net.SocketTimeoutException") String errorType,
            @ToolParam(description = "the error message", required = false) @Nullable String errorMessage,
            @Nullable ToolContext context) {
        return toolkit.findSolutions(agent(context), errorType, errorMessage);
    }

    /**
     * @param type the task type
     * @param technique what to do
     * @param rationale why
     * @param tags tags
     * @param context the request's tool context
     * @return the new id
     */
    @Tool(name = "aml_record_pattern", description = "Remember a new approach (pattern) for a kind of task.")
    public String recordPattern(@ToolParam(description = "the kind of task, e.g. api-call") String type,
            @ToolParam(description = "what to do") String technique,
            @ToolParam(description = "why it works", required = false) @Nullable String rationale,
            @ToolParam(description = "tags", required = false) @Nullable List<String> tags,
            @Nullable ToolContext context) {
        return toolkit.recordPattern(agent(context), type, technique, rationale, tags);
    }

    /**
     * @param errorType the error type
     * @param errorMessage the message
     * @param rootCause the cause
     * @param fix the fix
     * @param context the request's tool context
     * @return the new id
     */
    @Tool(name = "aml_record_solution", description = "Remember how an error was fixed.")
    public String recordSolution(@ToolParam(description = "the error or exception type") String errorType,
            @ToolParam(description = "the error message", required = false) @Nullable String errorMessage,
            @ToolParam(description = "why it happened", required = false) @Nullable String rootCause,
            @ToolParam(description = "what fixed it") String fix, @Nullable ToolContext context) {
        return toolkit.recordSolution(agent(context), errorType, errorMessage, rootCause, fix);
    }

    /**
     * @param type the decision type
     * @param question the question
     * @param chosen the option chosen
     * @param rationale why
     * @param context the request's tool context
     * @return the new id
     */
    @Tool(name = "aml_record_decision", description = "Remember a decision: the question, the option chosen and why.")
    public String recordDecision(@ToolParam(description = "the kind of decision, e.g. architecture") String type,
            @ToolParam(description = "what was decided") String question,
            @ToolParam(description = "the option chosen") String chosen,
            @ToolParam(description = "why", required = false) @Nullable String rationale,
            @Nullable ToolContext context) {
        return toolkit.recordDecision(agent(context), type, question, chosen, rationale);
    }

    /**
     * @param id the item's id
     * @param success whether it worked
     * @param durationMillis time saved or taken, in ms
     * @param context the request's tool context
     * @return the item's new record
     */
    @Tool(name = "aml_record_outcome", description = "Report whether a recalled pattern, solution or decision"
            + " worked, so the memory learns. Use the id that aml_recall or aml_find_solutions showed.")
    public String recordOutcome(@ToolParam(description = "the item's id") String id,
            @ToolParam(description = "true if it worked") boolean success,
            @ToolParam(description = "time it saved or took, in milliseconds", required = false) @Nullable Long durationMillis,
            @Nullable ToolContext context) {
        return toolkit.recordOutcome(agent(context), id, success, durationMillis == null ? 0 : durationMillis);
    }

    @Override
    public String toString() {
        return "AmlTools[" + (fixed == null ? "agent from tool context" : "agent " + fixed) + "]";
    }
}
