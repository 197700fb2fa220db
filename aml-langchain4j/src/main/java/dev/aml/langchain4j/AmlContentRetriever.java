package dev.aml.langchain4j;

import dev.aml.agent.AgentToolkit;
import dev.aml.agent.MemoryBrief;
import dev.aml.core.AgentId;
import dev.aml.core.relevance.ScoredItem;
import dev.aml.core.relevance.Situation;
import dev.aml.maintenance.MemoryManager;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The agent's items most relevant to the user's message as RAG {@link Content}, for
 * {@code AiServices.builder(..).contentRetriever(..)}: one content per item, its text a
 * {@link MemoryBrief} line (kind, id, gist, success rate and runs), its metadata {@code aml_id},
 * {@code aml_kind}, {@code aml_agent} and the {@link ContentMetadata#SCORE} of relevance retrieval.
 *
 * <p>The agent is fixed ({@link #forAgent}) or derived from the query's chat memory id
 * ({@link #perMemoryId}), never from the model.
 */
public final class AmlContentRetriever implements ContentRetriever {

    private final AgentToolkit toolkit;
    private final Function<Query, AgentId> agentOf;

    private AmlContentRetriever(AgentToolkit toolkit, Function<Query, AgentId> agentOf) {
        this.toolkit = Objects.requireNonNull(toolkit, "toolkit");
        this.agentOf = agentOf;
    }

    /**
     * @param aml the memory
     * @param agent whose memory is retrieved
     * @return the retriever (up to {@value AgentToolkit#DEFAULT_LIMIT} items)
     */
    public static AmlContentRetriever forAgent(MemoryManager aml, String agent) {
        return forAgent(AgentToolkit.of(aml), agent);
    }

    /**
     * @param toolkit the operations, with the number of items
     * @param agent whose memory is retrieved
     * @return the retriever
     */
    public static AmlContentRetriever forAgent(AgentToolkit toolkit, String agent) {
        AgentId id = AgentId.of(agent);
        return new AmlContentRetriever(toolkit, q -> id);
    }

    /**
     * @param aml the memory
     * @param agentOfMemoryId maps the query's chat memory id to an agent
     * @return the retriever
     */
    public static AmlContentRetriever perMemoryId(MemoryManager aml, Function<Object, String> agentOfMemoryId) {
        Objects.requireNonNull(agentOfMemoryId, "agentOfMemoryId");
        return new AmlContentRetriever(AgentToolkit.of(aml), q -> {
            Object memoryId = q.metadata() == null ? null : q.metadata().chatMemoryId();
            if (memoryId == null) {
                throw new IllegalStateException("AmlContentRetriever.perMemoryId needs a query with a chat memory id");
            }
            return AgentId.of(agentOfMemoryId.apply(memoryId));
        });
    }

    @Override
    public List<Content> retrieve(Query query) {
        if (query.text() == null || query.text().isBlank()) {
            return List.of();
        }
        AgentId agent = agentOf.apply(query);
        return toolkit.relevantItems(agent, Situation.ofText(query.text())).stream()
                .map(s -> content(agent, s)).toList();
    }

    private static Content content(AgentId agent, ScoredItem s) {
        Metadata metadata = new Metadata().put("aml_id", s.item().id()).put("aml_kind", s.item().kind().label())
                .put("aml_agent", agent.name());
        return Content.from(TextSegment.from(MemoryBrief.line(s.item()), metadata),
                Map.of(ContentMetadata.SCORE, s.score()));
    }
}
