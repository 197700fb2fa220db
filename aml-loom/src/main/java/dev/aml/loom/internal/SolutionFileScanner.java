package dev.aml.loom.internal;

import dev.aml.core.Effectiveness;
import dev.aml.core.MemoryItem;
import dev.aml.core.RawJson;
import dev.aml.core.Solution;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;

/**
 * The byte scanner of {@code solutions.json} (see {@link ItemFileScanner} for the subset and why its
 * items are the tree reader's): the shared fields, the {@code problem} and {@code solution} bodies
 * (objects), {@code effectiveness} with its known fields only, and {@code verifiedCount}, each in
 * camelCase or snake_case.
 *
 * <p>One instance per file; not thread-safe.
 */
final class SolutionFileScanner extends ItemFileScanner {

    private static final byte[] PROBLEM = bytes("problem");
    private static final byte[] SOLUTION = bytes("solution");
    private static final byte[] EFFECTIVENESS = bytes("effectiveness");
    private static final byte[] VERIFIED_COUNT = bytes("verifiedCount");
    private static final byte[] VERIFIED_COUNT_SNAKE = bytes("verified_count");

    private static final byte[][] EFFECTIVENESS_KEYS = {bytes("worked"), bytes("timeToFixMinutes"),
        bytes("time_to_fix_minutes"), bytes("preventedRecurrence"), bytes("prevented_recurrence"),
        bytes("relatedErrorsFixed"), bytes("related_errors_fixed")};
    private static final int[] EFFECTIVENESS_FIELDS = {0, 1, 1, 2, 2, 3, 3};
    private static final byte[] EFFECTIVENESS_TYPES = {BOOL, NUMBER, WHOLE, WHOLE};

    private RawJson problem = RawJson.emptyObject();
    private RawJson fix = RawJson.emptyObject();
    private @Nullable Effectiveness effectiveness;
    private long verifiedCount;

    /**
     * @param data the bytes
     * @param zone the zone of naive timestamps
     * @param cacheSize slots of the cache of repeated text, a power of two
     */
    SolutionFileScanner(byte[] data, ZoneId zone, int cacheSize) {
        super(data, zone, cacheSize);
    }

    @Override
    void startElement() {
        problem = RawJson.emptyObject();
        fix = RawJson.emptyObject();
        effectiveness = null;
        verifiedCount = 0;
    }

    @Override
    int field(int ks, int kl) {
        if (is(ks, kl, PROBLEM)) {
            problem = objectBody();
            return FIRST_FIELD_BIT;
        }
        if (is(ks, kl, SOLUTION)) {
            fix = objectBody();
            return FIRST_FIELD_BIT << 1;
        }
        if (is(ks, kl, EFFECTIVENESS)) {
            if (!isNull()) {
                int present = members(EFFECTIVENESS_KEYS, EFFECTIVENESS_FIELDS, EFFECTIVENESS_TYPES);
                effectiveness = new Effectiveness((present & 1) == 0 || wholes[0] != 0,
                        (present & 2) != 0 ? numbers[1] : 0, (present & 4) != 0 ? wholes[2] : 0,
                        (present & 8) != 0 ? wholes[3] : 0, RawJson.emptyObject());
            }
            return FIRST_FIELD_BIT << 2;
        }
        if (is(ks, kl, VERIFIED_COUNT) || is(ks, kl, VERIFIED_COUNT_SNAKE)) {
            if (!isNull()) {
                verifiedCount = whole();
            }
            return FIRST_FIELD_BIT << 3;
        }
        throw DECLINE; // an unknown field: it goes to extra, which the Jackson reader builds
    }

    @Override
    MemoryItem item() {
        Effectiveness e = effectiveness != null ? effectiveness
                : new Effectiveness(true, 0, 0, 0, RawJson.emptyObject());
        return new Solution(id, agent, timestamp, problem, fix, e, tags, active, verifiedCount,
                RawJson.emptyObject());
    }
}
