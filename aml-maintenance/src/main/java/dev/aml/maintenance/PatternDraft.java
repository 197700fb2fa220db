package dev.aml.maintenance;

import dev.aml.core.AgentId;
import dev.aml.core.Evolution;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an agent wants to remember as a pattern, before it has an id: Loom's {@code pattern} body
 * (type, context, approach, conditions) and tags. {@code record(draft)} turns it into a
 * {@link Pattern} with Loom's starting values: success rate 0.5, one execution, confidence 0.3,
 * active, created and last used now.
 *
 * <pre>{@code
 * Pattern p = coder.patterns().record(PatternDraft.of("retry", Map.of("protocol", "http"))
 *         .approach("exponential backoff", "transient faults clear up").tags("http"));
 * }</pre>
 *
 * <p>Each option may be set once; a second call throws {@link IllegalStateException}. A draft is not
 * thread-safe; it may be recorded more than once (each record gets a new id).
 */
public final class PatternDraft {

    private static final String OWNER = "pattern draft";

    private final String type;
    private final Map<String, Object> context;
    private @Nullable String technique;
    private @Nullable String rationale;
    private @Nullable String codeTemplate;
    private @Nullable List<String> steps;
    private @Nullable List<String> whenApplicable;
    private @Nullable List<String> whenNotApplicable;
    private @Nullable List<String> tags;

    private PatternDraft(String type, Map<String, Object> context) {
        this.type = type;
        this.context = context;
    }

    /**
     * @param type what kind of pattern, e.g. {@code "retry"}
     * @param context where it applies: string, number or boolean values
     * @return a draft
     * @throws dev.aml.core.InvalidInputException if the type is blank or a context value is not a
     *     string, finite number or boolean
     */
    public static PatternDraft of(String type, Map<String, ?> context) {
        return new PatternDraft(Drafts.text(OWNER, "type", type), Drafts.context(OWNER, context));
    }

    /**
     * @param newTechnique the technique ({@code approach.technique}; default empty)
     * @param newRationale why it works ({@code approach.rationale}; default empty)
     * @return this draft
     */
    public PatternDraft approach(String newTechnique, String newRationale) {
        Drafts.once(technique, "approach");
        rationale = Objects.requireNonNull(newRationale, "rationale");
        technique = Objects.requireNonNull(newTechnique, "technique");
        return this;
    }

    /**
     * @param template a code template ({@code approach.codeTemplate}; default absent)
     * @return this draft
     */
    public PatternDraft codeTemplate(String template) {
        Drafts.once(codeTemplate, "codeTemplate");
        codeTemplate = Objects.requireNonNull(template, "template");
        return this;
    }

    /**
     * @param newSteps the steps ({@code approach.steps}; default absent)
     * @return this draft
     */
    public PatternDraft steps(String... newSteps) {
        Drafts.once(steps, "steps");
        steps = Drafts.strings(OWNER, "steps", newSteps);
        return this;
    }

    /**
     * @param conditions when the pattern applies ({@code conditions.whenApplicable}; default empty)
     * @return this draft
     */
    public PatternDraft whenApplicable(String... conditions) {
        Drafts.once(whenApplicable, "whenApplicable");
        whenApplicable = Drafts.strings(OWNER, "whenApplicable", conditions);
        return this;
    }

    /**
     * @param conditions when it does not ({@code conditions.whenNotApplicable}; default empty)
     * @return this draft
     */
    public PatternDraft whenNotApplicable(String... conditions) {
        Drafts.once(whenNotApplicable, "whenNotApplicable");
        whenNotApplicable = Drafts.strings(OWNER, "whenNotApplicable", conditions);
        return this;
    }

    /**
     * @param newTags tags, in order (default none); non-blank
     * @return this draft
     */
    public PatternDraft tags(String... newTags) {
        Drafts.once(tags, "tags");
        tags = Drafts.tags(OWNER, newTags);
        return this;
    }

    Pattern toPattern(AgentId agent, String id, Instant now) {
        Map<String, Object> approach = new LinkedHashMap<>();
        approach.put("technique", technique == null ? "" : technique);
        approach.put("rationale", rationale == null ? "" : rationale);
        if (codeTemplate != null) {
            approach.put("codeTemplate", codeTemplate);
        }
        if (steps != null) {
            approach.put("steps", steps);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("context", context);
        body.put("approach", approach);
        Map<String, Object> conditions = new LinkedHashMap<>();
        conditions.put("whenApplicable", whenApplicable == null ? List.of() : whenApplicable);
        conditions.put("whenNotApplicable", whenNotApplicable == null ? List.of() : whenNotApplicable);
        body.put("conditions", conditions);
        return new Pattern(id, agent.name(), now, RawJson.of(body), PatternMetrics.NEW,
                new Evolution(now, now, 0, Evolution.NEW_CONFIDENCE, RawJson.emptyObject()),
                tags == null ? List.of() : tags, true, RawJson.emptyObject());
    }
}
