package dev.aml.maintenance;

import dev.aml.core.AgentId;
import dev.aml.core.Effectiveness;
import dev.aml.core.RawJson;
import dev.aml.core.Solution;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A fix an agent wants to remember, before it has an id: Loom's {@code problem} (error type and
 * message, context) and {@code solution} (root cause, fix, prevention), whether it worked and how
 * long it took. {@code record(draft)} turns it into a {@link Solution} with Loom's starting values:
 * verified once, no prevented recurrence yet, active.
 *
 * <p>Each option may be set once; a second call throws {@link IllegalStateException}.
 */
public final class SolutionDraft {

    private static final String OWNER = "solution draft";

    private final String errorType;
    private final String errorMessage;
    private @Nullable Map<String, Object> context;
    private @Nullable String stackTraceHash;
    private @Nullable String rootCause;
    private @Nullable String fixApproach;
    private @Nullable String codeFix;
    private @Nullable String prevention;
    private @Nullable Boolean worked;
    private @Nullable Double timeToFixMinutes;
    private @Nullable List<String> tags;

    private SolutionDraft(String errorType, String errorMessage) {
        this.errorType = errorType;
        this.errorMessage = errorMessage;
    }

    /**
     * @param errorType the error's type, e.g. {@code "TypeError"}
     * @param errorMessage the error's message
     * @return a draft
     * @throws dev.aml.core.InvalidInputException if the type is blank
     */
    public static SolutionDraft of(String errorType, String errorMessage) {
        return new SolutionDraft(Drafts.text(OWNER, "errorType", errorType),
                Objects.requireNonNull(errorMessage, "errorMessage"));
    }

    /**
     * @param newContext where the error happened: string, number or boolean values (default empty)
     * @return this draft
     */
    public SolutionDraft context(Map<String, ?> newContext) {
        Drafts.once(context, "context");
        context = Drafts.context(OWNER, newContext);
        return this;
    }

    /**
     * @param hash a hash of the stack trace ({@code problem.stackTraceHash}; default absent)
     * @return this draft
     */
    public SolutionDraft stackTraceHash(String hash) {
        Drafts.once(stackTraceHash, "stackTraceHash");
        stackTraceHash = Objects.requireNonNull(hash, "hash");
        return this;
    }

    /**
     * @param cause the root cause (default empty)
     * @return this draft
     */
    public SolutionDraft rootCause(String cause) {
        Drafts.once(rootCause, "rootCause");
        rootCause = Objects.requireNonNull(cause, "cause");
        return this;
    }

    /**
     * @param approach how it was fixed (default empty)
     * @return this draft
     */
    public SolutionDraft fixApproach(String approach) {
        Drafts.once(fixApproach, "fixApproach");
        fixApproach = Objects.requireNonNull(approach, "approach");
        return this;
    }

    /**
     * @param code the code of the fix (default absent)
     * @return this draft
     */
    public SolutionDraft codeFix(String code) {
        Drafts.once(codeFix, "codeFix");
        codeFix = Objects.requireNonNull(code, "code");
        return this;
    }

    /**
     * @param how how to prevent the error (default empty)
     * @return this draft
     */
    public SolutionDraft prevention(String how) {
        Drafts.once(prevention, "prevention");
        prevention = Objects.requireNonNull(how, "how");
        return this;
    }

    /**
     * @param didWork whether the fix worked (default {@code true})
     * @return this draft
     */
    public SolutionDraft worked(boolean didWork) {
        Drafts.once(worked, "worked");
        worked = didWork;
        return this;
    }

    /**
     * @param minutes how long the fix took, at least 0 (default 0)
     * @return this draft
     * @throws dev.aml.core.InvalidInputException if negative or not finite
     */
    public SolutionDraft timeToFixMinutes(double minutes) {
        Drafts.once(timeToFixMinutes, "timeToFixMinutes");
        if (!(minutes >= 0) || Double.isInfinite(minutes)) {
            throw new dev.aml.core.InvalidInputException(OWNER + " timeToFixMinutes must be a finite number >= 0, was "
                    + minutes);
        }
        timeToFixMinutes = minutes;
        return this;
    }

    /**
     * @param newTags tags, in order (default none); non-blank
     * @return this draft
     */
    public SolutionDraft tags(String... newTags) {
        Drafts.once(tags, "tags");
        tags = Drafts.tags(OWNER, newTags);
        return this;
    }

    Solution toSolution(AgentId agent, String id, Instant now) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("errorType", errorType);
        problem.put("errorMessage", errorMessage);
        if (stackTraceHash != null) {
            problem.put("stackTraceHash", stackTraceHash);
        }
        problem.put("context", context == null ? Map.of() : context);
        Map<String, Object> fix = new LinkedHashMap<>();
        fix.put("rootCause", rootCause == null ? "" : rootCause);
        fix.put("fixApproach", fixApproach == null ? "" : fixApproach);
        if (codeFix != null) {
            fix.put("codeFix", codeFix);
        }
        fix.put("prevention", prevention == null ? "" : prevention);
        Effectiveness effectiveness = new Effectiveness(worked == null || worked,
                timeToFixMinutes == null ? 0 : timeToFixMinutes, 0, 0, RawJson.emptyObject());
        return new Solution(id, agent.name(), now, RawJson.of(problem), RawJson.of(fix), effectiveness,
                tags == null ? List.of() : tags, true, 1, RawJson.emptyObject());
    }
}
