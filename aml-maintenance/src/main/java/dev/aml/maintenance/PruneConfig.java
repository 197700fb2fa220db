package dev.aml.maintenance;

import dev.aml.core.AgentId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Every knob of pruning, with the reference toolkit's defaults (LOOM-FORMAT.md §4.1) plus the
 * guards this project adds. Immutable; the compact constructor validates every field and names the
 * field, the bad value and the allowed range.
 *
 * <p>There is no {@code dryRun} field: {@code aml.prune(config).dryRun()} and {@code .execute()} are
 * two methods of the same operation, so a configuration can never be run "by accident" for real.
 *
 * @param strategies the strategies to run, in order (later ones see what earlier ones proposed);
 *     default time-based then performance-based, as the reference's bare {@code prune}
 * @param agents only these agents; empty means every agent
 * @param patternMaxAgeDays a pattern unused for more than this many whole days is pruned (90)
 * @param decisionMaxAgeDays a decision older than this many whole days is archived (180)
 * @param failedPatternMaxAgeDays a failed pattern created more than this many days ago is pruned (30)
 * @param solutionMaxAgeDays a solution older than this many whole days is pruned (365; the reference ignores it)
 * @param minSuccessRate patterns with enough executions and a lower success rate are pruned (0.20)
 * @param minConfidenceScore patterns with enough executions and a lower confidence are pruned (0.15)
 * @param minExecutionCount executions a pattern needs before its rates are judged (3)
 * @param failedPatternSuccessRate success rate below which a pattern counts as failed (0.30, hard-coded in
 *     the reference)
 * @param agentMemoryLimitBytes size above which an agent is pruned by the space strategy (80 MiB)
 * @param globalMemoryLimitBytes size above which every agent is pruned by the space strategy (800 MiB)
 * @param spaceTargetFraction an agent over its limit is pruned down to this fraction of its limit, and a
 *     memory over the global limit down to this fraction of the global limit, every agent giving up
 *     its share (0.70)
 * @param preserveHighValue whether items whose value score reaches the threshold are never removed,
 *     by any strategy (true)
 * @param highValueThreshold the value score (see {@link dev.aml.core.Learning#valueScore}) that
 *     counts as high (0.85)
 * @param protectNewerThanMinutes items created, used or reviewed less than this many minutes ago
 *     (or in the future) are never removed; 0 disables the guard (60)
 * @param createBackup whether {@code execute()} takes a full backup first (true)
 */
public record PruneConfig(
        List<PruneStrategy> strategies,
        Set<AgentId> agents,
        int patternMaxAgeDays,
        int decisionMaxAgeDays,
        int failedPatternMaxAgeDays,
        int solutionMaxAgeDays,
        double minSuccessRate,
        double minConfidenceScore,
        long minExecutionCount,
        double failedPatternSuccessRate,
        long agentMemoryLimitBytes,
        long globalMemoryLimitBytes,
        double spaceTargetFraction,
        boolean preserveHighValue,
        double highValueThreshold,
        long protectNewerThanMinutes,
        boolean createBackup) {

    /** Default {@link #patternMaxAgeDays()}. */
    public static final int DEFAULT_PATTERN_MAX_AGE_DAYS = 90;
    /** Default {@link #decisionMaxAgeDays()}. */
    public static final int DEFAULT_DECISION_MAX_AGE_DAYS = 180;
    /** Default {@link #failedPatternMaxAgeDays()}. */
    public static final int DEFAULT_FAILED_PATTERN_MAX_AGE_DAYS = 30;
    /** Default {@link #solutionMaxAgeDays()}. */
    public static final int DEFAULT_SOLUTION_MAX_AGE_DAYS = 365;
    /** Default {@link #minSuccessRate()}. */
    public static final double DEFAULT_MIN_SUCCESS_RATE = 0.20;
    /** Default {@link #minConfidenceScore()}. */
    public static final double DEFAULT_MIN_CONFIDENCE_SCORE = 0.15;
    /** Default {@link #minExecutionCount()}. */
    public static final long DEFAULT_MIN_EXECUTION_COUNT = 3;
    /** Default {@link #failedPatternSuccessRate()}. */
    public static final double DEFAULT_FAILED_PATTERN_SUCCESS_RATE = 0.30;
    /** Default {@link #agentMemoryLimitBytes()}: 80 MiB. */
    public static final long DEFAULT_AGENT_MEMORY_LIMIT_BYTES = 80L * 1024 * 1024;
    /** Default {@link #globalMemoryLimitBytes()}: 800 MiB. */
    public static final long DEFAULT_GLOBAL_MEMORY_LIMIT_BYTES = 800L * 1024 * 1024;
    /** Default {@link #spaceTargetFraction()}. */
    public static final double DEFAULT_SPACE_TARGET_FRACTION = 0.70;
    /** Default {@link #preserveHighValue()}. */
    public static final boolean DEFAULT_PRESERVE_HIGH_VALUE = true;
    /** Default {@link #highValueThreshold()}. */
    public static final double DEFAULT_HIGH_VALUE_THRESHOLD = 0.85;
    /** Default {@link #protectNewerThanMinutes()}. */
    public static final long DEFAULT_PROTECT_NEWER_THAN_MINUTES = 60;
    /** Default {@link #createBackup()}. */
    public static final boolean DEFAULT_CREATE_BACKUP = true;
    /** {@link #patternMaxAgeDays()} of {@link #aggressive()}. */
    public static final int AGGRESSIVE_PATTERN_MAX_AGE_DAYS = 60;
    /** {@link #decisionMaxAgeDays()} of {@link #aggressive()}. */
    public static final int AGGRESSIVE_DECISION_MAX_AGE_DAYS = 120;
    /** {@link #minSuccessRate()} of {@link #aggressive()}. */
    public static final double AGGRESSIVE_MIN_SUCCESS_RATE = 0.30;

    /** Largest accepted age in days (100 years). */
    public static final int MAX_AGE_DAYS = 36_500;
    /** Largest accepted {@link #protectNewerThanMinutes()} (one year). */
    public static final long MAX_PROTECT_MINUTES = 525_600;

    /** Validates every field and copies the collections. */
    public PruneConfig {
        strategies = List.copyOf(Objects.requireNonNull(strategies, "strategies"));
        agents = Set.copyOf(Objects.requireNonNull(agents, "agents"));
        if (strategies.isEmpty()) {
            throw new IllegalArgumentException("strategies must name at least one strategy, was []");
        }
        Set<String> names = new HashSet<>();
        for (PruneStrategy s : strategies) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("strategies lists '" + s.name() + "' twice: " + names(strategies));
            }
        }
        days("patternMaxAgeDays", patternMaxAgeDays);
        days("decisionMaxAgeDays", decisionMaxAgeDays);
        days("failedPatternMaxAgeDays", failedPatternMaxAgeDays);
        days("solutionMaxAgeDays", solutionMaxAgeDays);
        unit("minSuccessRate", minSuccessRate);
        unit("minConfidenceScore", minConfidenceScore);
        if (minExecutionCount < 0) {
            throw new IllegalArgumentException("minExecutionCount must be >= 0, was " + minExecutionCount);
        }
        unit("failedPatternSuccessRate", failedPatternSuccessRate);
        positive("agentMemoryLimitBytes", agentMemoryLimitBytes);
        positive("globalMemoryLimitBytes", globalMemoryLimitBytes);
        fraction("spaceTargetFraction", spaceTargetFraction);
        unit("highValueThreshold", highValueThreshold);
        if (protectNewerThanMinutes < 0 || protectNewerThanMinutes > MAX_PROTECT_MINUTES) {
            throw new IllegalArgumentException("protectNewerThanMinutes must be in [0, " + MAX_PROTECT_MINUTES
                    + "], was " + protectNewerThanMinutes);
        }
    }

    /** @return the reference defaults: time-based and performance-based strategies, all agents */
    public static PruneConfig defaults() {
        return new PruneConfig(List.of(PruneStrategy.timeBased(), PruneStrategy.performanceBased()), Set.of(),
                DEFAULT_PATTERN_MAX_AGE_DAYS, DEFAULT_DECISION_MAX_AGE_DAYS, DEFAULT_FAILED_PATTERN_MAX_AGE_DAYS,
                DEFAULT_SOLUTION_MAX_AGE_DAYS, DEFAULT_MIN_SUCCESS_RATE, DEFAULT_MIN_CONFIDENCE_SCORE,
                DEFAULT_MIN_EXECUTION_COUNT, DEFAULT_FAILED_PATTERN_SUCCESS_RATE, DEFAULT_AGENT_MEMORY_LIMIT_BYTES,
                DEFAULT_GLOBAL_MEMORY_LIMIT_BYTES, DEFAULT_SPACE_TARGET_FRACTION,
                DEFAULT_PRESERVE_HIGH_VALUE, DEFAULT_HIGH_VALUE_THRESHOLD, DEFAULT_PROTECT_NEWER_THAN_MINUTES,
                DEFAULT_CREATE_BACKUP);
    }

    /**
     * The seed's {@code --aggressive}: {@link #defaults()} with patterns 60 days, decisions 120 days
     * and minimum success rate 0.30. Everything else, including high-value preservation, stays.
     *
     * @return the aggressive preset
     */
    public static PruneConfig aggressive() {
        return defaults().toBuilder()
                .patternMaxAgeDays(AGGRESSIVE_PATTERN_MAX_AGE_DAYS)
                .decisionMaxAgeDays(AGGRESSIVE_DECISION_MAX_AGE_DAYS)
                .minSuccessRate(AGGRESSIVE_MIN_SUCCESS_RATE)
                .build();
    }

    /**
     * The seed's {@code --aggressive} applied to this configuration: patterns at most 60 days, decisions
     * at most 120 days, minimum success rate at least 0.30; limits already stricter stay.
     *
     * @return the tightened configuration ({@code defaults().withAggressiveLimits()} equals {@link #aggressive()})
     */
    public PruneConfig withAggressiveLimits() {
        return new PruneConfig(strategies, agents, Math.min(patternMaxAgeDays, AGGRESSIVE_PATTERN_MAX_AGE_DAYS),
                Math.min(decisionMaxAgeDays, AGGRESSIVE_DECISION_MAX_AGE_DAYS), failedPatternMaxAgeDays,
                solutionMaxAgeDays, Math.max(minSuccessRate, AGGRESSIVE_MIN_SUCCESS_RATE), minConfidenceScore,
                minExecutionCount, failedPatternSuccessRate, agentMemoryLimitBytes, globalMemoryLimitBytes,
                spaceTargetFraction, preserveHighValue, highValueThreshold, protectNewerThanMinutes, createBackup);
    }

    /** @return a builder starting from {@link #defaults()} */
    public static Builder builder() {
        return new Builder(defaults());
    }

    /** @return a builder starting from this configuration; each option may be overridden once */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return the strategies' names, e.g. {@code [time_based, performance_based]} */
    public List<String> strategyNames() {
        return names(strategies);
    }

    /**
     * @param agent an agent
     * @return whether this configuration covers it (an empty agent set covers everyone)
     */
    public boolean covers(AgentId agent) {
        return agents.isEmpty() || agents.contains(agent);
    }

    private static List<String> names(List<PruneStrategy> strategies) {
        return strategies.stream().map(PruneStrategy::name).toList();
    }

    private static void days(String field, int value) {
        if (value < 0 || value > MAX_AGE_DAYS) {
            throw new IllegalArgumentException(field + " must be in [0, " + MAX_AGE_DAYS + "] days, was " + value);
        }
    }

    private static void unit(String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(field + " must be in [0, 1], was " + value);
        }
    }

    private static void fraction(String field, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(field + " must be in (0, 1], was " + value);
        }
    }

    private static void positive(String field, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be > 0 bytes, was " + value);
        }
    }

    /**
     * Builds a {@link PruneConfig}. Starts from a base configuration; each option may be set once
     * (a second call throws {@link IllegalStateException} naming the earlier value); the result is
     * validated by {@link #build()}.
     */
    public static final class Builder {
        private final Set<String> set = new HashSet<>();
        private List<PruneStrategy> strategies;
        private Set<AgentId> agents;
        private int patternMaxAgeDays;
        private int decisionMaxAgeDays;
        private int failedPatternMaxAgeDays;
        private int solutionMaxAgeDays;
        private double minSuccessRate;
        private double minConfidenceScore;
        private long minExecutionCount;
        private double failedPatternSuccessRate;
        private long agentMemoryLimitBytes;
        private long globalMemoryLimitBytes;
        private double spaceTargetFraction;
        private boolean preserveHighValue;
        private double highValueThreshold;
        private long protectNewerThanMinutes;
        private boolean createBackup;

        private Builder(PruneConfig base) {
            strategies = base.strategies;
            agents = base.agents;
            patternMaxAgeDays = base.patternMaxAgeDays;
            decisionMaxAgeDays = base.decisionMaxAgeDays;
            failedPatternMaxAgeDays = base.failedPatternMaxAgeDays;
            solutionMaxAgeDays = base.solutionMaxAgeDays;
            minSuccessRate = base.minSuccessRate;
            minConfidenceScore = base.minConfidenceScore;
            minExecutionCount = base.minExecutionCount;
            failedPatternSuccessRate = base.failedPatternSuccessRate;
            agentMemoryLimitBytes = base.agentMemoryLimitBytes;
            globalMemoryLimitBytes = base.globalMemoryLimitBytes;
            spaceTargetFraction = base.spaceTargetFraction;
            preserveHighValue = base.preserveHighValue;
            highValueThreshold = base.highValueThreshold;
            protectNewerThanMinutes = base.protectNewerThanMinutes;
            createBackup = base.createBackup;
        }

        private void once(String option, @Nullable Object current) {
            if (!set.add(option)) {
                throw new IllegalStateException(option + " was already set to " + current);
            }
        }

        /**
         * @param value the strategies, in the order they run
         * @return this builder
         */
        public Builder strategies(PruneStrategy... value) {
            return strategies(List.of(value));
        }

        /**
         * @param value the strategies, in the order they run
         * @return this builder
         */
        public Builder strategies(List<PruneStrategy> value) {
            once("strategies", names(strategies));
            strategies = new ArrayList<>(value);
            return this;
        }

        /**
         * @param value only these agents; empty for all
         * @return this builder
         */
        public Builder agents(Collection<AgentId> value) {
            once("agents", agents);
            agents = new LinkedHashSet<>(value);
            return this;
        }

        /**
         * @param value only these agents; none for all
         * @return this builder
         */
        public Builder agents(AgentId... value) {
            return agents(List.of(value));
        }

        /** @param value days, in [0, 36500] @return this builder */
        public Builder patternMaxAgeDays(int value) {
            once("patternMaxAgeDays", patternMaxAgeDays);
            patternMaxAgeDays = value;
            return this;
        }

        /** @param value days, in [0, 36500] @return this builder */
        public Builder decisionMaxAgeDays(int value) {
            once("decisionMaxAgeDays", decisionMaxAgeDays);
            decisionMaxAgeDays = value;
            return this;
        }

        /** @param value days, in [0, 36500] @return this builder */
        public Builder failedPatternMaxAgeDays(int value) {
            once("failedPatternMaxAgeDays", failedPatternMaxAgeDays);
            failedPatternMaxAgeDays = value;
            return this;
        }

        /** @param value days, in [0, 36500] @return this builder */
        public Builder solutionMaxAgeDays(int value) {
            once("solutionMaxAgeDays", solutionMaxAgeDays);
            solutionMaxAgeDays = value;
            return this;
        }

        /** @param value in [0, 1] @return this builder */
        public Builder minSuccessRate(double value) {
            once("minSuccessRate", minSuccessRate);
            minSuccessRate = value;
            return this;
        }

        /** @param value in [0, 1] @return this builder */
        public Builder minConfidenceScore(double value) {
            once("minConfidenceScore", minConfidenceScore);
            minConfidenceScore = value;
            return this;
        }

        /** @param value at least 0 @return this builder */
        public Builder minExecutionCount(long value) {
            once("minExecutionCount", minExecutionCount);
            minExecutionCount = value;
            return this;
        }

        /** @param value in [0, 1] @return this builder */
        public Builder failedPatternSuccessRate(double value) {
            once("failedPatternSuccessRate", failedPatternSuccessRate);
            failedPatternSuccessRate = value;
            return this;
        }

        /** @param value bytes, greater than 0 @return this builder */
        public Builder agentMemoryLimitBytes(long value) {
            once("agentMemoryLimitBytes", agentMemoryLimitBytes);
            agentMemoryLimitBytes = value;
            return this;
        }

        /** @param value bytes, greater than 0 @return this builder */
        public Builder globalMemoryLimitBytes(long value) {
            once("globalMemoryLimitBytes", globalMemoryLimitBytes);
            globalMemoryLimitBytes = value;
            return this;
        }

        /** @param value in (0, 1] @return this builder */
        public Builder spaceTargetFraction(double value) {
            once("spaceTargetFraction", spaceTargetFraction);
            spaceTargetFraction = value;
            return this;
        }

        /** @param value whether high-value items are protected from every strategy @return this builder */
        public Builder preserveHighValue(boolean value) {
            once("preserveHighValue", preserveHighValue);
            preserveHighValue = value;
            return this;
        }

        /** @param value value score in [0, 1] @return this builder */
        public Builder highValueThreshold(double value) {
            once("highValueThreshold", highValueThreshold);
            highValueThreshold = value;
            return this;
        }

        /** @param value minutes in [0, 525600]; 0 disables the guard @return this builder */
        public Builder protectNewerThanMinutes(long value) {
            once("protectNewerThanMinutes", protectNewerThanMinutes);
            protectNewerThanMinutes = value;
            return this;
        }

        /** @param value whether {@code execute()} backs up first @return this builder */
        public Builder createBackup(boolean value) {
            once("createBackup", createBackup);
            createBackup = value;
            return this;
        }

        /**
         * @return the validated configuration
         * @throws IllegalArgumentException naming the first invalid field, its value and the allowed range
         */
        public PruneConfig build() {
            return new PruneConfig(strategies, agents, patternMaxAgeDays, decisionMaxAgeDays, failedPatternMaxAgeDays,
                    solutionMaxAgeDays, minSuccessRate, minConfidenceScore, minExecutionCount,
                    failedPatternSuccessRate, agentMemoryLimitBytes, globalMemoryLimitBytes, spaceTargetFraction,
                    preserveHighValue, highValueThreshold, protectNewerThanMinutes,
                    createBackup);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "PruneConfig.Builder%s", set);
        }
    }
}
