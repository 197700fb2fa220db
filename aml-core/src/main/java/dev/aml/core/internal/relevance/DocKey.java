package dev.aml.core.internal.relevance;

import dev.aml.core.AgentId;
import dev.aml.core.ItemKind;
import java.util.Comparator;
import java.util.Objects;

/**
 * Which item a document is: agent, kind and id (the first item with that id in the agent's file,
 * as {@link dev.aml.core.MemoryStore#find} sees it).
 *
 * @param agent the agent whose memory holds it
 * @param kind its kind
 * @param id its id
 */
public record DocKey(AgentId agent, ItemKind kind, String id) {

    /** Agent, then kind, then id: the tie-break order of every AML ranking. */
    public static final Comparator<DocKey> ORDER = Comparator.comparing(DocKey::agent).thenComparing(DocKey::kind)
            .thenComparing(DocKey::id);

    /** Rejects nulls. */
    public DocKey {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
    }

    /** @return {@code agent/kind/id}, the key of the vector sidecar */
    public String external() {
        return agent + "/" + kind.label() + "/" + id;
    }
}
