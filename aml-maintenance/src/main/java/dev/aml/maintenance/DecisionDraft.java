package dev.aml.maintenance;

import dev.aml.core.AgentId;
import dev.aml.core.Decision;
import dev.aml.core.RawJson;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A choice an agent wants to remember, before it has an id: Loom's {@code decision} body (type,
 * question, context, chosen option, alternatives, factors, rationale) and tags. {@code record(draft)}
 * turns it into a {@link Decision} without outcome; {@code recordOutcome} adds one later.
 *
 * <p>Each option may be set once; a second call throws {@link IllegalStateException}.
 */
public final class DecisionDraft {

    private static final String OWNER = "decision draft";

    private final String type;
    private final String question;
    private final String chosenOption;
    private @Nullable Map<String, Object> context;
    private @Nullable List<String> alternatives;
    private @Nullable List<String> primaryFactors;
    private @Nullable List<String> secondaryFactors;
    private @Nullable String rationale;
    private @Nullable List<String> tags;

    private DecisionDraft(String type, String question, String chosenOption) {
        this.type = type;
        this.question = question;
        this.chosenOption = chosenOption;
    }

    /**
     * @param type what kind of decision, e.g. {@code "architecture"}
     * @param question the question decided
     * @param chosenOption the option chosen
     * @return a draft
     * @throws dev.aml.core.InvalidInputException if the type, question or option is blank
     */
    public static DecisionDraft of(String type, String question, String chosenOption) {
        return new DecisionDraft(Drafts.text(OWNER, "type", type), Drafts.text(OWNER, "question", question),
                Drafts.text(OWNER, "chosenOption", chosenOption));
    }

    /**
     * @param newContext the situation: string, number or boolean values (default empty)
     * @return this draft
     */
    public DecisionDraft context(Map<String, ?> newContext) {
        Drafts.once(context, "context");
        context = Drafts.context(OWNER, newContext);
        return this;
    }

    /**
     * @param options the alternatives considered (default none)
     * @return this draft
     */
    public DecisionDraft alternatives(String... options) {
        Drafts.once(alternatives, "alternatives");
        alternatives = Drafts.strings(OWNER, "alternatives", options);
        return this;
    }

    /**
     * @param factors the primary decision factors (default none)
     * @return this draft
     */
    public DecisionDraft primaryFactors(String... factors) {
        Drafts.once(primaryFactors, "primaryFactors");
        primaryFactors = Drafts.strings(OWNER, "primaryFactors", factors);
        return this;
    }

    /**
     * @param factors the secondary decision factors (default none)
     * @return this draft
     */
    public DecisionDraft secondaryFactors(String... factors) {
        Drafts.once(secondaryFactors, "secondaryFactors");
        secondaryFactors = Drafts.strings(OWNER, "secondaryFactors", factors);
        return this;
    }

    /**
     * @param why the rationale (default absent)
     * @return this draft
     */
    public DecisionDraft rationale(String why) {
        Drafts.once(rationale, "rationale");
        rationale = Objects.requireNonNull(why, "why");
        return this;
    }

    /**
     * @param newTags tags, in order (default none); non-blank
     * @return this draft
     */
    public DecisionDraft tags(String... newTags) {
        Drafts.once(tags, "tags");
        tags = Drafts.tags(OWNER, newTags);
        return this;
    }

    Decision toDecision(AgentId agent, String id, Instant now) {
        Map<String, Object> factors = new LinkedHashMap<>();
        factors.put("primary", primaryFactors == null ? List.of() : primaryFactors);
        factors.put("secondary", secondaryFactors == null ? List.of() : secondaryFactors);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("question", question);
        body.put("context", context == null ? Map.of() : context);
        body.put("chosenOption", chosenOption);
        body.put("alternativesConsidered", alternatives == null ? List.of() : alternatives);
        body.put("decisionFactors", factors);
        if (rationale != null) {
            body.put("rationale", rationale);
        }
        return new Decision(id, agent.name(), now, RawJson.of(body), null, tags == null ? List.of() : tags, true, null,
                RawJson.emptyObject());
    }
}
