package dev.aml.core.internal.relevance;

import dev.aml.core.AgentId;
import dev.aml.core.MemoryItem;
import dev.aml.core.relevance.RelevanceScorer;
import dev.aml.core.relevance.Situation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link RelevanceScorer#context()}: the share of the item's context keys whose values equal the
 * situation's. Loom's rule ({@code matches / item keys}) with its defects fixed: an item without a
 * context scores 0 instead of NaN (solutions) and a situation without a context does not apply
 * instead of matching everything; strings compare case-insensitively and numbers by value.
 */
public final class ContextScorer implements RelevanceScorer {

    /** The one instance. */
    public static final ContextScorer INSTANCE = new ContextScorer();

    private ContextScorer() {
    }

    @Override
    public String name() {
        return CONTEXT;
    }

    @Override
    public Score score(Situation situation, AgentId agent, MemoryItem item) {
        return score(situation.context(), ItemText.of(item).context());
    }

    /**
     * @param situation the situation's context
     * @param item the item's context
     * @return the score, {@link Score#NOT_APPLICABLE} when the situation has no context
     */
    public static Score score(Map<String, Object> situation, Map<String, Object> item) {
        if (situation.isEmpty()) {
            return Score.NOT_APPLICABLE;
        }
        if (item.isEmpty()) {
            return Score.ZERO;
        }
        List<String> matched = new ArrayList<>();
        for (Map.Entry<String, Object> e : item.entrySet()) {
            Object mine = situation.get(e.getKey());
            if (mine != null && normalize(mine).equals(normalize(e.getValue()))) {
                matched.add(e.getKey() + "=" + e.getValue());
            }
        }
        return new Score((double) matched.size() / item.size(), matched);
    }

    /**
     * @param v a context value
     * @return its comparable form: trimmed lower-case strings, plain decimal numbers, booleans
     */
    static String normalize(Object v) {
        if (v instanceof Number n) {
            try {
                return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
            } catch (NumberFormatException e) {
                return n.toString(); // NaN, Infinity
            }
        }
        if (v instanceof Boolean b) {
            return b.toString();
        }
        return v.toString().strip().toLowerCase(Locale.ROOT);
    }
}
