package dev.aml.loom.internal;

import dev.aml.core.Decision;
import dev.aml.core.DecisionOutcome;
import dev.aml.core.MemoryItem;
import dev.aml.core.RawJson;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The byte scanner of {@code decisions.json} (see {@link ItemFileScanner} for the subset and why its
 * items are the tree reader's): the shared fields, the {@code decision} body (an object),
 * {@code outcome} with its known fields only ({@code successMetrics} an object, copied like a body),
 * and {@code reviewedAt}, each in camelCase or snake_case.
 *
 * <p>One instance per file; not thread-safe.
 */
final class DecisionFileScanner extends ItemFileScanner {

    private static final byte[] DECISION = bytes("decision");
    private static final byte[] OUTCOME = bytes("outcome");
    private static final byte[] REVIEWED_AT = bytes("reviewedAt");
    private static final byte[] REVIEWED_AT_SNAKE = bytes("reviewed_at");

    private static final byte[][] OUTCOME_KEYS = {bytes("successMetrics"), bytes("success_metrics"),
        bytes("lessonsLearned"), bytes("lessons_learned"), bytes("wouldRepeat"), bytes("would_repeat"),
        bytes("improvements")};
    private static final int[] OUTCOME_FIELDS = {0, 0, 1, 1, 2, 2, 3};
    private static final byte[] OUTCOME_TYPES = {OBJECT, STRINGS, BOOL, STRINGS};

    private RawJson body = RawJson.emptyObject();
    private @Nullable DecisionOutcome outcome;
    private @Nullable Instant reviewedAt;

    /**
     * @param data the bytes
     * @param zone the zone of naive timestamps
     * @param cacheSize slots of the cache of repeated text, a power of two
     */
    DecisionFileScanner(byte[] data, ZoneId zone, int cacheSize) {
        super(data, zone, cacheSize);
    }

    @Override
    void startElement() {
        body = RawJson.emptyObject();
        outcome = null;
        reviewedAt = null;
    }

    @Override
    int field(int ks, int kl) {
        if (is(ks, kl, DECISION)) {
            body = objectBody();
            return FIRST_FIELD_BIT;
        }
        if (is(ks, kl, OUTCOME)) {
            if (!isNull()) {
                outcome = outcome();
            }
            return FIRST_FIELD_BIT << 1;
        }
        if (is(ks, kl, REVIEWED_AT) || is(ks, kl, REVIEWED_AT_SNAKE)) {
            if (!isNull()) {
                reviewedAt = timestamp();
            }
            return FIRST_FIELD_BIT << 2;
        }
        throw DECLINE; // an unknown field: it goes to extra, which the Jackson reader builds
    }

    @SuppressWarnings("unchecked")
    private DecisionOutcome outcome() {
        int present = members(OUTCOME_KEYS, OUTCOME_FIELDS, OUTCOME_TYPES);
        return new DecisionOutcome((present & 1) != 0 ? (RawJson) objects[0] : RawJson.emptyObject(),
                (present & 2) != 0 ? (List<String>) objects[1] : List.of(), (present & 4) == 0 || wholes[2] != 0,
                (present & 8) != 0 ? (List<String>) objects[3] : List.of(), RawJson.emptyObject());
    }

    @Override
    MemoryItem item() {
        return new Decision(id, agent, timestamp, body, outcome, tags, active, reviewedAt, RawJson.emptyObject());
    }
}
