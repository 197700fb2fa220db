package dev.aml.agent;

import dev.aml.core.AgentId;
import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.Outcome;
import dev.aml.core.relevance.ScoredItem;
import dev.aml.core.relevance.Situation;
import dev.aml.maintenance.AgentMemory;
import dev.aml.maintenance.DecisionDraft;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.PatternDraft;
import dev.aml.maintenance.SolutionDraft;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The operations an agent framework exposes to a model as tools, on the memory of one agent that the
 * <em>application</em> names on every call. The framework adapters (aml-spring-ai's {@code AmlTools},
 * aml-langchain4j's {@code AmlTools}) take the agent from the application (a constructor argument, a
 * tool context, a chat memory id), never from the model's arguments, and ids are looked up only in
 * that agent's memory: a model cannot read or change another agent's items, even with a valid id.
 *
 * <p>Results are short texts for a model ({@link MemoryBrief} lines, ids to cite); bad arguments
 * give a one-line message rather than an exception, so the model can correct itself.
 */
public final class AgentToolkit {

    /** Default number of items a recall returns. */
    public static final int DEFAULT_LIMIT = 5;

    private final MemoryManager aml;
    private final int limit;

    private AgentToolkit(MemoryManager aml, int limit) {
        this.aml = Objects.requireNonNull(aml, "aml");
        if (limit < 1 || limit > 50) {
            throw new IllegalArgumentException("limit must be in [1, 50], was " + limit);
        }
        this.limit = limit;
    }

    /**
     * @param aml the memory
     * @return a toolkit returning up to {@value #DEFAULT_LIMIT} items per recall
     */
    public static AgentToolkit of(MemoryManager aml) {
        return new AgentToolkit(aml, DEFAULT_LIMIT);
    }

    /**
     * @param aml the memory
     * @param limit items per recall, 1 to 50
     * @return the toolkit
     */
    public static AgentToolkit of(MemoryManager aml, int limit) {
        return new AgentToolkit(aml, limit);
    }

    /** @return the memory */
    public MemoryManager memory() {
        return aml;
    }

    /** @return items per recall */
    public int limit() {
        return limit;
    }

    /**
     * The agent's patterns most relevant to a task (relevance retrieval: text, context and type, ranked
     * with each pattern's own weight, so what worked before comes first).
     *
     * @param agent whose memory
     * @param task the task, in words
     * @return the scored patterns, best first
     */
    public List<ScoredItem> relevantPatterns(AgentId agent, String task) {
        return relevant(agent, Situation.ofText(requireText(task, "task")), MemoryQuery.patterns());
    }

    /**
     * The agent's items of every kind most relevant to a situation (what prompt advisors show).
     *
     * @param agent whose memory
     * @param situation the situation
     * @return the scored items, best first
     */
    public List<ScoredItem> relevantItems(AgentId agent, Situation situation) {
        return relevant(agent, situation, MemoryQuery.builder());
    }

    private List<ScoredItem> relevant(AgentId agent, Situation situation, MemoryQuery.Builder query) {
        return aml.relevance().query(query.agents(List.of(agent)).relevantTo(situation).limit(limit).build());
    }

    /**
     * @param agent whose memory
     * @param task the task, in words
     * @return {@link #relevantPatterns} as a {@link MemoryBrief}
     */
    public String recall(AgentId agent, String task) {
        if (task == null || task.isBlank()) {
            return "Say what the task is: recall needs a non-empty task.";
        }
        return MemoryBrief.of(relevantPatterns(agent, task));
    }

    /**
     * @param agent whose memory
     * @param errorType the error or exception type, e.g. {@code java.net.SocketTimeoutException}
     * @param message the error message, may be empty
     * @return the agent's solutions for that error as a {@link MemoryBrief}
     */
    public String findSolutions(AgentId agent, String errorType, @Nullable String message) {
        if (errorType == null || errorType.isBlank()) {
            return "Give the error type (e.g. java.net.SocketTimeoutException): find solutions needs it.";
        }
        List<ScoredItem> found = aml.relevance().solutionsFor(errorType.strip(),
                message == null || message.isBlank() ? null : message, Map.of(),
                MemoryQuery.builder().agents(List.of(agent)).limit(limit).build());
        return MemoryBrief.of(found);
    }

    /**
     * @param agent whose memory
     * @param type what kind of task it applies to, e.g. {@code api-call}
     * @param technique what to do
     * @param rationale why it works, may be empty
     * @param tags tags, may be empty
     * @return {@code "recorded pattern <id>"}
     */
    public String recordPattern(AgentId agent, String type, String technique, @Nullable String rationale,
            @Nullable List<String> tags) {
        if (isBlank(type) || isBlank(technique)) {
            return "A pattern needs a type and a technique.";
        }
        PatternDraft draft = PatternDraft.of(type.strip(), Map.of()).approach(technique.strip(), orEmpty(rationale));
        if (tags != null && !tags.isEmpty()) {
            draft.tags(tags.toArray(String[]::new));
        }
        return "recorded pattern " + memory(agent).patterns().record(draft).id();
    }

    /**
     * @param agent whose memory
     * @param errorType the error type
     * @param errorMessage the message, may be empty
     * @param rootCause why it happened, may be empty
     * @param fix what fixed it
     * @return {@code "recorded solution <id>"}
     */
    public String recordSolution(AgentId agent, String errorType, @Nullable String errorMessage,
            @Nullable String rootCause, String fix) {
        if (isBlank(errorType) || isBlank(fix)) {
            return "A solution needs an error type and a fix.";
        }
        SolutionDraft draft = SolutionDraft.of(errorType.strip(), orEmpty(errorMessage)).fixApproach(fix.strip());
        if (!isBlank(rootCause)) {
            draft.rootCause(rootCause.strip());
        }
        return "recorded solution " + memory(agent).solutions().record(draft).id();
    }

    /**
     * @param agent whose memory
     * @param type what kind of decision, e.g. {@code architecture}
     * @param question what was decided
     * @param chosen the option chosen
     * @param rationale why, may be empty
     * @return {@code "recorded decision <id>"}
     */
    public String recordDecision(AgentId agent, String type, String question, String chosen,
            @Nullable String rationale) {
        if (isBlank(type) || isBlank(question) || isBlank(chosen)) {
            return "A decision needs a type, a question and the option chosen.";
        }
        DecisionDraft draft = DecisionDraft.of(type.strip(), question.strip(), chosen.strip());
        if (!isBlank(rationale)) {
            draft.rationale(rationale.strip());
        }
        return "recorded decision " + memory(agent).decisions().record(draft).id();
    }

    /**
     * Learns from one use of an item of the agent's memory. The id is looked up in that agent's
     * memory only; an id of another agent's item is reported as unknown, exactly like a made-up one.
     *
     * @param agent whose memory
     * @param id the item's id, as recall or find solutions showed it
     * @param success whether it worked
     * @param durationMillis time it saved (patterns) or took to fix (solutions), in ms, not negative
     * @return the item's new record, or why nothing was recorded
     */
    public String recordOutcome(AgentId agent, String id, boolean success, long durationMillis) {
        if (isBlank(id)) {
            return "Give the id of the item, as recall or find solutions showed it.";
        }
        if (durationMillis < 0) {
            return "The duration must not be negative, was " + durationMillis + " ms.";
        }
        Optional<MemoryItem> item = find(agent, id.strip());
        if (item.isEmpty()) {
            return "No item with id " + id.strip() + " in this agent's memory; use an id that recall or find"
                    + " solutions showed.";
        }
        Outcome outcome = success ? Outcome.success(Duration.ofMillis(durationMillis)) : Outcome.failure();
        AgentMemory m = memory(agent);
        MemoryItem learned = switch (item.get().kind()) {
            case PATTERN -> m.patterns().recordOutcome(item.get().id(), outcome);
            case SOLUTION -> m.solutions().recordOutcome(item.get().id(), outcome);
            case DECISION -> m.decisions().recordOutcome(item.get().id(), outcome);
        };
        return "recorded " + (success ? "success" : "failure") + " for " + MemoryBrief.line(learned);
    }

    /**
     * @param agent whose memory
     * @param id an id
     * @return the item of that agent with that id, of any kind
     */
    public Optional<MemoryItem> find(AgentId agent, String id) {
        AgentMemory m = memory(agent);
        Optional<? extends MemoryItem> p = m.patterns().get(id);
        if (p.isPresent()) {
            return Optional.of(p.get());
        }
        Optional<? extends MemoryItem> s = m.solutions().get(id);
        if (s.isPresent()) {
            return Optional.of(s.get());
        }
        return m.decisions().get(id).map(d -> d);
    }

    private AgentMemory memory(AgentId agent) {
        return aml.agent(Objects.requireNonNull(agent, "agent"));
    }

    private static boolean isBlank(@Nullable String s) {
        return s == null || s.isBlank();
    }

    private static String orEmpty(@Nullable String s) {
        return s == null ? "" : s.strip();
    }

    private static String requireText(String s, String what) {
        if (isBlank(s)) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return s;
    }

    @Override
    public String toString() {
        return "AgentToolkit[" + aml.store().describe() + ", limit " + limit + "]";
    }
}
