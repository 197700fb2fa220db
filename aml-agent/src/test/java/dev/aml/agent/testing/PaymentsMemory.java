package dev.aml.agent.testing;

import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.PatternDraft;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * The memory the framework adapters' end-to-end tests start from (aml-agent's test-jar): in memory,
 * agent {@code coder} has a payments-API pattern that worked four times ({@link #backoff()}) and one
 * that failed four times ({@link #once()}); agent {@code billing} has a pattern of its own
 * ({@link #othersSecret()}) that {@code coder}'s tools must never show or change. Close it after the
 * test.
 */
public final class PaymentsMemory implements AutoCloseable {

    private static final java.util.regex.Pattern FIRST_ID =
            java.util.regex.Pattern.compile("^1\\. pattern (\\S+):", java.util.regex.Pattern.MULTILINE);

    private final MemoryManager aml;
    private final Pattern backoff;
    private final Pattern once;
    private final Pattern othersSecret;

    private PaymentsMemory() {
        aml = MemoryManager.builder().build();
        backoff = aml.agent("coder").patterns().record(PatternDraft.of("api-call", Map.of("protocol", "http"))
                .approach("retry the payments API with exponential backoff", "timeouts of the payments API clear up"));
        for (int i = 0; i < 4; i++) {
            aml.agent("coder").patterns().recordOutcome(backoff.id(), Outcome.success(Duration.ofMillis(100)));
        }
        once = aml.agent("coder").patterns().record(PatternDraft.of("api-call", Map.of("protocol", "http"))
                .approach("call the payments API once and give up on timeout", "keeps latency low"));
        for (int i = 0; i < 4; i++) {
            aml.agent("coder").patterns().recordOutcome(once.id(), Outcome.failure());
        }
        othersSecret = aml.agent("billing").patterns().record(PatternDraft.of("api-call", Map.of())
                .approach("call the payments API with billing's private key", "billing only"));
    }

    /** @return a new in-memory manager holding the three patterns */
    public static PaymentsMemory create() {
        return new PaymentsMemory();
    }

    /** @return the manager */
    public MemoryManager aml() {
        return aml;
    }

    /** @return coder's pattern that worked: 4 successes of 100 ms */
    public Pattern backoff() {
        return backoff;
    }

    /** @return coder's pattern that failed 4 times */
    public Pattern once() {
        return once;
    }

    /** @return billing's pattern, which coder's tools must not reach */
    public Pattern othersSecret() {
        return othersSecret;
    }

    /**
     * @param root where to create a Loom tree (a directory that does not exist yet)
     * @return coder's pattern that the tree now holds, "api-call: retry the payments API with backoff";
     *     the tree is closed again, ready to be opened by location
     */
    public static Pattern treeWithBackoff(Path root) {
        try (MemoryManager tree = MemoryManager.open(root)) {
            return tree.agent("coder").patterns().record(PatternDraft.of("api-call", Map.of())
                    .approach("retry the payments API with backoff", "timeouts clear up"));
        }
    }

    /**
     * @param brief a {@code MemoryBrief} text, e.g. what {@code aml_recall} returned
     * @return the id of its first line's pattern
     * @throws AssertionError if its first line is not a pattern
     */
    public static String firstId(String brief) {
        Matcher m = FIRST_ID.matcher(brief);
        if (!m.find()) {
            throw new AssertionError("no line '1. pattern <id>:' in " + brief);
        }
        return m.group(1);
    }

    @Override
    public void close() {
        aml.close();
    }
}
