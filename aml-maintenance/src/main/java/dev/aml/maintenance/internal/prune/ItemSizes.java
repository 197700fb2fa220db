package dev.aml.maintenance.internal.prune;

import dev.aml.core.Decision;
import dev.aml.core.DecisionOutcome;
import dev.aml.core.Effectiveness;
import dev.aml.core.Evolution;
import dev.aml.core.MemoryItem;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import dev.aml.core.Solution;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A fast estimate of an item's serialized size: the length of its compact camelCase Loom JSON
 * (what {@code LoomJson.writeItem} produces), computed from the lengths of its parts without
 * building any text, so that planning a prune over a million items stays well under a second.
 * Escapes and multi-byte characters count one byte each; the estimate only affects reported
 * sizes and space targets, never which item a rule selects by age or rate.
 */
public final class ItemSizes {

    private ItemSizes() {
    }

    /**
     * @param item an item
     * @return its estimated compact JSON size in bytes
     */
    public static long compactSize(MemoryItem item) {
        long n = 2 + 6 + strLen(item.id()) + 9 + strLen(item.agent());
        n += ts(",\"timestamp\":", item.timestamp());
        if (item instanceof Pattern p) {
            PatternMetrics m = p.metrics();
            n += 11 + p.pattern().json().length();
            n += 26 + numLen(m.successRate()) + 18 + digits(m.executionCount())
                    + 18 + numLen(m.avgTimeSavedMs()) + 24 + digits(m.errorPreventionCount())
                    + extraLen(m.extra());
            Evolution e = p.evolution();
            n += 15;
            int fields = 2;
            if (e.created() != null) {
                n += 10 + instantLen(e.created());
                fields++;
            }
            if (e.lastUsed() != null) {
                n += 11 + instantLen(e.lastUsed());
                fields++;
            }
            n += (fields - 1) + 14 + digits(e.refinements()) + 17 + numLen(e.confidenceScore())
                    + extraLen(e.extra()) + 1;
        } else if (item instanceof Solution s) {
            Effectiveness e = s.effectiveness();
            n += 11 + s.problem().json().length() + 12 + s.solution().json().length();
            n += 26 + (e.worked() ? 4 : 5) + 20 + numLen(e.timeToFixMinutes()) + 23
                    + digits(e.preventedRecurrence()) + 22 + digits(e.relatedErrorsFixed()) + extraLen(e.extra()) + 1;
            n += 17 + digits(s.verifiedCount());
        } else if (item instanceof Decision d) {
            n += 12 + d.decision().json().length();
            DecisionOutcome o = d.outcome();
            if (o != null) {
                n += 28 + o.successMetrics().json().length() + 17 + stringsLen(o.lessonsLearned())
                        + 14 + (o.wouldRepeat() ? 4 : 5) + 15 + stringsLen(o.improvements()) + extraLen(o.extra()) + 1;
            }
            n += ts(",\"reviewedAt\":", d.reviewedAt());
        }
        n += 8 + stringsLen(item.tags()) + 10 + (item.active() ? 4 : 5);
        return n + extraLen(item.extra());
    }

    /** Length of the JSON number as written: exact for integers and up to three decimals, else 18. */
    private static int numLen(double d) {
        if (!Double.isFinite(d)) {
            return 4;
        }
        double abs = Math.abs(d);
        int sign = d < 0 ? 1 : 0;
        if (abs >= 1e15) {
            return 18 + sign;
        }
        long whole = (long) abs;
        if (abs == whole) {
            return sign + digits(whole);
        }
        for (int decimals = 1; decimals <= 3; decimals++) {
            double scaled = abs * POW10[decimals];
            if (scaled == Math.rint(scaled)) {
                return sign + digits(whole) + 1 + decimals;
            }
        }
        return 18 + sign;
    }

    private static final double[] POW10 = {1, 10, 100, 1000};

    private static long strLen(String s) {
        return s.length() + 2L;
    }

    private static long stringsLen(List<String> values) {
        long n = 2;
        for (int i = 0; i < values.size(); i++) {
            n += (i > 0 ? 1 : 0) + strLen(values.get(i));
        }
        return n;
    }

    private static long extraLen(RawJson extra) {
        int len = extra.json().length();
        return extra.isObject() && len > 2 ? len - 1L : 0;
    }

    private static long ts(String key, @Nullable Instant instant) {
        return instant == null ? 0 : key.length() + instantLen(instant);
    }

    /** Length of {@code "<ISO instant>"} with quotes, without formatting it (years 0000-9999). */
    private static long instantLen(Instant instant) {
        int nanos = instant.getNano();
        int fraction = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 4 : nanos % 1_000 == 0 ? 7 : 10;
        long seconds = instant.getEpochSecond();
        boolean fourDigitYear = seconds >= -62_167_219_200L && seconds < 253_402_300_800L;
        return 2L + 20 + fraction + (fourDigitYear ? 0 : instant.toString().length() - 20 - fraction);
    }

    private static int digits(long v) {
        if (v < 0) {
            return v == Long.MIN_VALUE ? 20 : 1 + digits(-v);
        }
        int n = 1;
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }
}
