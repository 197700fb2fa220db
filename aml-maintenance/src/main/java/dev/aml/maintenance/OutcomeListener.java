package dev.aml.maintenance;

import dev.aml.core.AgentId;
import dev.aml.core.ItemKind;
import dev.aml.core.Outcome;

/**
 * Told about every outcome a {@link MemoryManager} learned from (after the item was updated), for
 * metrics such as aml-micrometer's {@code aml.outcomes} counter. Register it with
 * {@link MemoryManager#addOutcomeListener(OutcomeListener)}.
 *
 * <p>Called on the thread that recorded the outcome: it must be fast. An exception is logged and
 * otherwise ignored; the outcome stays recorded.
 */
@FunctionalInterface
public interface OutcomeListener {

    /**
     * @param agent whose item learned
     * @param kind the item's kind
     * @param outcome what happened
     */
    void outcomeRecorded(AgentId agent, ItemKind kind, Outcome outcome);
}
