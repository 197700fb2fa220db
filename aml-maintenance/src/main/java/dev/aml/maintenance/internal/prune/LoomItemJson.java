package dev.aml.maintenance.internal.prune;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
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
 * Writes an item as compact Loom JSON in the TypeScript runtime's camelCase shape (LOOM-FORMAT.md
 * Part B §3), unknown fields kept, timestamps as UTC {@code Z}. Used for archives and for item
 * sizes; {@link #compactSize} computes the length of {@link #toJson} without building the text,
 * exactly for ASCII content (escapes and multi-byte characters are counted as one byte each, an
 * estimate that only affects reported sizes).
 */
public final class LoomItemJson {

    private LoomItemJson() {
    }

    /**
     * @param item an item
     * @return its compact JSON object text
     */
    public static String toJson(MemoryItem item) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"id\":");
        str(sb, item.id());
        sb.append(",\"agent\":");
        str(sb, item.agent());
        if (item.timestamp() != null) {
            sb.append(",\"timestamp\":");
            str(sb, item.timestamp().toString());
        }
        if (item instanceof Pattern p) {
            sb.append(",\"pattern\":").append(p.pattern().json());
            PatternMetrics m = p.metrics();
            sb.append(",\"metrics\":{\"successRate\":").append(num(m.successRate()))
                    .append(",\"executionCount\":").append(m.executionCount())
                    .append(",\"avgTimeSavedMs\":").append(num(m.avgTimeSavedMs()))
                    .append(",\"errorPreventionCount\":").append(m.errorPreventionCount());
            extraInner(sb, m.extra());
            Evolution e = p.evolution();
            sb.append("},\"evolution\":{");
            boolean first = true;
            if (e.created() != null) {
                sb.append("\"created\":");
                str(sb, e.created().toString());
                first = false;
            }
            if (e.lastUsed() != null) {
                sb.append(first ? "" : ",").append("\"lastUsed\":");
                str(sb, e.lastUsed().toString());
                first = false;
            }
            sb.append(first ? "" : ",").append("\"refinements\":").append(e.refinements())
                    .append(",\"confidenceScore\":").append(num(e.confidenceScore()));
            extraInner(sb, e.extra());
            sb.append('}');
            tagsAndActive(sb, item);
        } else if (item instanceof Solution s) {
            sb.append(",\"problem\":").append(s.problem().json());
            sb.append(",\"solution\":").append(s.solution().json());
            Effectiveness e = s.effectiveness();
            sb.append(",\"effectiveness\":{\"worked\":").append(e.worked())
                    .append(",\"timeToFixMinutes\":").append(num(e.timeToFixMinutes()))
                    .append(",\"preventedRecurrence\":").append(e.preventedRecurrence())
                    .append(",\"relatedErrorsFixed\":").append(e.relatedErrorsFixed());
            extraInner(sb, e.extra());
            sb.append('}');
            tagsAndActive(sb, item);
            sb.append(",\"verifiedCount\":").append(s.verifiedCount());
        } else if (item instanceof Decision d) {
            sb.append(",\"decision\":").append(d.decision().json());
            DecisionOutcome o = d.outcome();
            if (o != null) {
                sb.append(",\"outcome\":{\"successMetrics\":").append(o.successMetrics().json())
                        .append(",\"lessonsLearned\":");
                strings(sb, o.lessonsLearned());
                sb.append(",\"wouldRepeat\":").append(o.wouldRepeat()).append(",\"improvements\":");
                strings(sb, o.improvements());
                extraInner(sb, o.extra());
                sb.append('}');
            }
            tagsAndActive(sb, item);
            if (d.reviewedAt() != null) {
                sb.append(",\"reviewedAt\":");
                str(sb, d.reviewedAt().toString());
            }
        }
        extraInner(sb, item.extra());
        return sb.append('}').toString();
    }

    /**
     * @param items items
     * @return a compact JSON array of them, in order
     */
    public static String toJsonArray(List<? extends MemoryItem> items) {
        StringBuilder sb = new StringBuilder(items.size() * 256 + 2).append('[');
        for (int i = 0; i < items.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(toJson(items.get(i)));
        }
        return sb.append(']').toString();
    }

    /**
     * @param item an item
     * @return the length of {@link #toJson(MemoryItem)} for ASCII content without escapes
     */
    public static long compactSize(MemoryItem item) {
        long n = 2 + 6 + strLen(item.id()) + 9 + strLen(item.agent());
        n += ts(",\"timestamp\":", item.timestamp());
        if (item instanceof Pattern p) {
            PatternMetrics m = p.metrics();
            n += 11 + p.pattern().json().length();
            n += 26 + num(m.successRate()).length() + 18 + digits(m.executionCount())
                    + 18 + num(m.avgTimeSavedMs()).length() + 24 + digits(m.errorPreventionCount())
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
            n += (fields - 1) + 14 + digits(e.refinements()) + 17 + num(e.confidenceScore()).length()
                    + extraLen(e.extra()) + 1;
        } else if (item instanceof Solution s) {
            Effectiveness e = s.effectiveness();
            n += 11 + s.problem().json().length() + 12 + s.solution().json().length();
            n += 26 + (e.worked() ? 4 : 5) + 20 + num(e.timeToFixMinutes()).length() + 23
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

    private static void tagsAndActive(StringBuilder sb, MemoryItem item) {
        sb.append(",\"tags\":");
        strings(sb, item.tags());
        sb.append(",\"active\":").append(item.active());
    }

    private static void strings(StringBuilder sb, List<String> values) {
        sb.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            str(sb, values.get(i));
        }
        sb.append(']');
    }

    private static void str(StringBuilder sb, String s) {
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        sb.append('"');
    }

    private static void extraInner(StringBuilder sb, RawJson extra) {
        String json = extra.json();
        if (extra.isObject() && json.length() > 2) {
            sb.append(',').append(json, 1, json.length() - 1);
        }
    }

    private static String num(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

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

    private static long instantLen(Instant instant) {
        return instant.toString().length() + 2L;
    }

    private static int digits(long v) {
        return Long.toString(v).length();
    }
}
