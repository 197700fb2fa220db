package dev.aml.store.internal;

import dev.aml.core.AgentId;
import dev.aml.core.ItemKind;

/**
 * Identifies one item file of a tree: an agent and a kind.
 *
 * @param agent the agent
 * @param kind the kind
 */
public record ListKey(AgentId agent, ItemKind kind) {
}
