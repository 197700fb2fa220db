package dev.aml.loom.internal;

import dev.aml.core.Evolution;
import dev.aml.core.MemoryItem;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import java.time.Instant;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;

/**
 * The byte scanner of {@code patterns.json} (see {@link ItemFileScanner} for the subset and why its
 * items are the tree reader's): the shared fields, the {@code pattern} body (an object), and
 * {@code metrics}/{@code performance} and {@code evolution}/{@code lifecycle} (the 2.0.0 shape),
 * at most one of each pair, with their known fields only.
 *
 * <p>One instance per file; not thread-safe.
 */
final class PatternFileScanner extends ItemFileScanner {

    private static final byte[] PATTERN = bytes("pattern");
    private static final byte[] METRICS = bytes("metrics");
    private static final byte[] PERFORMANCE = bytes("performance");
    private static final byte[] EVOLUTION = bytes("evolution");
    private static final byte[] LIFECYCLE = bytes("lifecycle");

    private static final int[] METRIC_FIELDS = {0, 0, 1, 1, 2, 2, 3, 3}; // camelCase and snake_case of each
    private static final byte[] METRIC_TYPES = {NUMBER, WHOLE, NUMBER, WHOLE};
    private static final byte[] EVOLUTION_TYPES = {STAMP, STAMP, WHOLE, NUMBER};
    private static final byte[][] METRIC_KEYS = {bytes("successRate"), bytes("success_rate"),
        bytes("executionCount"), bytes("execution_count"), bytes("avgTimeSavedMs"), bytes("avg_time_saved_ms"),
        bytes("errorPreventionCount"), bytes("error_prevention_count")};
    private static final byte[][] EVOLUTION_KEYS = {bytes("created"), bytes("lastUsed"), bytes("last_used"),
        bytes("refinements"), bytes("confidenceScore"), bytes("confidence_score")};
    private static final int[] EVOLUTION_FIELDS = {0, 1, 1, 2, 3, 3};
    private static final byte[][] LIFECYCLE_KEYS = {bytes("createdAt"), bytes("created_at"), bytes("lastUsedAt"),
        bytes("last_used_at"), bytes("refinementCount"), bytes("refinement_count"), bytes("confidence")};
    private static final int[] LIFECYCLE_FIELDS = {0, 0, 1, 1, 2, 2, 3};

    private RawJson body = RawJson.emptyObject();
    private @Nullable PatternMetrics metrics;
    private @Nullable Evolution evolution;

    /**
     * @param data the bytes
     * @param zone the zone of naive timestamps
     * @param cacheSize slots of the cache of repeated text, a power of two
     */
    PatternFileScanner(byte[] data, ZoneId zone, int cacheSize) {
        super(data, zone, cacheSize);
    }

    @Override
    void startElement() {
        body = RawJson.emptyObject();
        metrics = null;
        evolution = null;
    }

    @Override
    int field(int ks, int kl) {
        if (is(ks, kl, PATTERN)) {
            body = objectBody(); // null or another type: rare, the Jackson reader handles it
            return FIRST_FIELD_BIT;
        }
        if (is(ks, kl, METRICS) || is(ks, kl, PERFORMANCE)) {
            if (!isNull()) {
                metrics = metrics();
            }
            return FIRST_FIELD_BIT << 1;
        }
        if (is(ks, kl, EVOLUTION)) {
            if (!isNull()) {
                evolution = evolution(EVOLUTION_KEYS, EVOLUTION_FIELDS);
            }
            return FIRST_FIELD_BIT << 2;
        }
        if (is(ks, kl, LIFECYCLE)) {
            if (!isNull()) {
                evolution = evolution(LIFECYCLE_KEYS, LIFECYCLE_FIELDS);
            }
            return FIRST_FIELD_BIT << 2;
        }
        throw DECLINE; // an unknown field: it goes to extra, which the Jackson reader builds
    }

    @Override
    MemoryItem item() {
        PatternMetrics m = metrics != null ? metrics : new PatternMetrics(1.0, 0, 0, 0, RawJson.emptyObject());
        Evolution e = evolution != null ? evolution : new Evolution(null, null, 0, 1.0, RawJson.emptyObject());
        return new Pattern(id, agent, timestamp, body, m, e, tags, active, RawJson.emptyObject());
    }

    private PatternMetrics metrics() {
        int present = members(METRIC_KEYS, METRIC_FIELDS, METRIC_TYPES);
        return new PatternMetrics((present & 1) != 0 ? numbers[0] : 1.0, (present & 2) != 0 ? wholes[1] : 0,
                (present & 4) != 0 ? numbers[2] : 0, (present & 8) != 0 ? wholes[3] : 0, RawJson.emptyObject());
    }

    private Evolution evolution(byte[][] keys, int[] fields) {
        int present = members(keys, fields, EVOLUTION_TYPES);
        return new Evolution((present & 1) != 0 ? (Instant) objects[0] : null,
                (present & 2) != 0 ? (Instant) objects[1] : null,
                (present & 4) != 0 ? wholes[2] : 0, (present & 8) != 0 ? numbers[3] : 1.0, RawJson.emptyObject());
    }
}
