package dev.aml.langchain4j;

import dev.aml.agent.AgentToolkit;
import dev.aml.core.AgentId;
import dev.aml.maintenance.MemoryManager;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * AML's memory as LangChain4j tools for {@code AiServices}: {@code aml_recall},
 * {@code aml_find_solutions}, {@code aml_record_pattern}, {@code aml_record_solution},
 * {@code aml_record_decision} and {@code aml_record_outcome}.
 *
 * <pre>{@code
 * Assistant assistant = AiServices.builder(Assistant.class).chatModel(model)
 *         .tools(AmlTools.forAgent(aml, "coder")).build();
 * }</pre>
 *
 * <p><b>The agent is the application's, never the model's.</b> No tool has an agent parameter: it is
 * fixed by {@link #forAgent}, or with {@link #perMemoryId} derived from the {@code @MemoryId} the
 * application passes to its AI service method (LangChain4j hands it to the tools' {@code @ToolMemoryId}
 * parameter; the model cannot see or set it). Ids are looked up in that agent's memory only.
 */
public final class AmlTools {

    private final AgentToolkit toolkit;
    private final @Nullable AgentId fixed;
    private final Function<Object, AgentId> fromMemoryId;

    private AmlTools(AgentToolkit toolkit, @Nullable AgentId fixed, Function<Object, AgentId> fromMemoryId) {
        this.toolkit = Objects.requireNonNull(toolkit, "toolkit");
        this.fixed = fixed;
        this.fromMemoryId = Objects.requireNonNull(fromMemoryId, "fromMemoryId");
    }

    /**
     * @param aml the memory
     * @param agent the only agent these tools read and write
     * @return the tools
     */
    public static AmlTools forAgent(MemoryManager aml, String agent) {
        AgentId id = AgentId.of(agent);
        return new AmlTools(AgentToolkit.of(aml), id, memoryId -> id);
    }

    /**
     * @param aml the memory
     * @return tools whose agent is named by the AI service's {@code @MemoryId} ({@code toString()})
     */
    public static AmlTools perMemoryId(MemoryManager aml) {
        return perMemoryId(aml, memoryId -> memoryId.toString());
    }

    /**
     * @param aml the memory
     * @param agentOfMemoryId maps a chat memory id (a user, a session) to the agent whose memory it uses
     * @return the tools
     */
    public static AmlTools perMemoryId(MemoryManager aml, Function<Object, String> agentOfMemoryId) {
        Objects.requireNonNull(agentOfMemoryId, "agentOfMemoryId");
        return new AmlTools(AgentToolkit.of(aml), null, memoryId -> AgentId.of(agentOfMemoryId.apply(memoryId)));
    }

    private AgentId agent(@Nullable Object memoryId) {
        if (fixed != null) {
            return fixed;
        }
        if (memoryId == null) {
            throw new IllegalStateException("AmlTools.perMemoryId needs an AI service method with a @MemoryId"
                    + " parameter (and a chatMemoryProvider)");
        }
        return fromMemoryId.apply(memoryId);
    }

    /**
     * @param task the task
     * @param memoryId the AI service's memory id (set by the application)
     * @return the relevant patterns as a brief
     */
    @Tool(name = "aml_recall", value = "Recall the approaches (patterns) that worked before for a task, best first,"
            + " each with its id, success rate and number of runs. Call it before you start a task.")
    public String recall(@P("the task, in a sentence") String task, @ToolMemoryId @Nullable Object memoryId) {
        return toolkit.recall(agent(memoryId), task);
    }

    /**
     * @param errorType the error type
     * @param errorMessage the message
     * @param memoryId the AI service's memory id
     * @return the solutions as a brief
     */
    @Tool(name = "aml_find_solutions", value = "Find fixes that worked before for an error, best first, each with"
            + " its id and whether it worked.")
    public String findSolutions(@P("the error or exception type, e.g. java.net.SocketTimeoutException") String errorType,
            @P(value = "the error message", required = false) @Nullable String errorMessage,
            @ToolMemoryId @Nullable Object memoryId) {
        return toolkit.findSolutions(agent(memoryId), errorType, errorMessage);
    }

    /**
     * @param type the task type
     * @param technique what to do
     * @param rationale why
     * @param tags tags
     * @param memoryId the AI service's memory id
     * @return the new id
     */
    @Tool(name = "aml_record_pattern", value = "Remember a new approach (pattern) for a kind of task.")
    public String recordPattern(@P("the kind of task, e.g. api-call") String type, @P("what to do") String technique,
            @P(value = "why it works", required = false) @Nullable String rationale,
            @P(value = "tags", required = false) @Nullable List<String> tags, @ToolMemoryId @Nullable Object memoryId) {
        return toolkit.recordPattern(agent(memoryId), type, technique, rationale, tags);
    }

    /**
     * @param errorType the error type
     * @param errorMessage the message
     * @param rootCause the cause
     * @param fix the fix
     * @param memoryId the AI service's memory id
     * @return the new id
     */
    @Tool(name = "aml_record_solution", value = "Remember how an error was fixed.")
    public String recordSolution(@P("the error or exception type") String errorType,
            @P(value = "the error message", required = false) @Nullable String errorMessage,
            @P(value = "why it happened", required = false) @Nullable String rootCause, @P("what fixed it") String fix,
            @ToolMemoryId @Nullable Object memoryId) {
        return toolkit.recordSolution(agent(memoryId), errorType, errorMessage, rootCause, fix);
    }

    /**
     * @param type the decision type
     * @param question the question
     * @param chosen the option chosen
     * @param rationale why
     * @param memoryId the AI service's memory id
     * @return the new id
     */
    @Tool(name = "aml_record_decision", value = "Remember a decision: the question, the option chosen and why.")
    public String recordDecision(@P("the kind of decision, e.g. architecture") String type,
            @P("what was decided") String question, @P("the option chosen") String chosen,
            @P(value = "why", required = false) @Nullable String rationale, @ToolMemoryId @Nullable Object memoryId) {
        return toolkit.recordDecision(agent(memoryId), type, question, chosen, rationale);
    }

    /**
     * @param id the item's id
     * @param success whether it worked
     * @param durationMillis time saved or taken, in ms
     * @param memoryId the AI service's memory id
     * @return the item's new record
     */
    @Tool(name = "aml_record_outcome", value = "Report whether a recalled pattern, solution or decision worked, so"
            + " the memory learns. Use the id that aml_recall or aml_find_solutions showed.")
    public String recordOutcome(@P("the item's id") String id, @P("true if it worked") boolean success,
            @P(value = "time it saved or took, in milliseconds", required = false) @Nullable Long durationMillis,
            @ToolMemoryId @Nullable Object memoryId) {
        return toolkit.recordOutcome(agent(memoryId), id, success, durationMillis == null ? 0 : durationMillis);
    }

    @Override
    public String toString() {
        return "AmlTools[" + (fixed == null ? "agent from @MemoryId" : "agent " + fixed) + "]";
    }
}
