package dev.aml.loom.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import dev.aml.core.Decision;
import dev.aml.core.DecisionOutcome;
import dev.aml.core.Effectiveness;
import dev.aml.core.Evolution;
import dev.aml.core.MemoryItem;
import dev.aml.core.Pattern;
import dev.aml.core.PatternMetrics;
import dev.aml.core.RawJson;
import dev.aml.core.Solution;
import dev.aml.core.internal.Json;
import dev.aml.loom.TimestampStyle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Writes items as Loom JSON: camelCase shapes of Loom's TypeScript runtime (or the 2.0.0 pattern
 * shape when the pattern's extra says {@code "version": "2.0.0"}), known fields first, then the
 * extras in their order; an extra whose key was already written as a typed field is skipped, so a
 * key is never duplicated. Timestamps are lossless ({@link LoomTimestamps}). Immutable and
 * thread-safe.
 */
final class ItemWriter {

    private static final DefaultPrettyPrinter LOOM_PRETTY;

    static {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        LOOM_PRETTY = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""))
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
    }

    /** Writes supplementary characters (emoji) as UTF-8, as Loom's runtimes do, not as escapes. */
    private static final JsonFactory WRITE_FACTORY = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private final TimestampStyle style;
    private final ZoneId zone;

    /**
     * @param style how to write timestamps
     * @param zone the zone of {@link TimestampStyle#NAIVE_LOCAL} timestamps
     */
    ItemWriter(TimestampStyle style, ZoneId zone) {
        this.style = style;
        this.zone = zone;
    }

    /**
     * @param instant an instant
     * @return it in this writer's style, lossless (extra fraction digits only when needed)
     */
    String formatTimestamp(Instant instant) {
        return LoomTimestamps.formatTimestamp(instant, style, zone);
    }

    /**
     * Writes items as a Loom item file: a JSON array, 2-space indent, UTF-8, no trailing newline.
     *
     * @param items the items
     * @param out where to write; not closed
     * @throws IOException if writing fails
     */
    public void writeArray(List<? extends MemoryItem> items, OutputStream out) throws IOException {
        try (JsonGenerator g = WRITE_FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setPrettyPrinter(new DefaultPrettyPrinter(LOOM_PRETTY));
            g.writeStartArray();
            for (MemoryItem item : items) {
                write(item, g, true);
            }
            g.writeEndArray();
        }
    }

    /**
     * @param items the items
     * @return the file bytes
     */
    public byte[] writeArray(List<? extends MemoryItem> items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + items.size() * 512);
        try {
            writeArray(items, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * @param item an item
     * @return the item as compact UTF-8 JSON
     */
    public byte[] writeItem(MemoryItem item) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = WRITE_FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            write(item, g, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Writes one item object to a generator.
     *
     * @param item the item
     * @param g the generator
     * @param pretty whether the generator pretty-prints (raw values are then re-indented)
     * @throws IOException if writing fails
     */
    public void write(MemoryItem item, JsonGenerator g, boolean pretty) throws IOException {
        Writer w = new Writer(g, pretty);
        g.writeStartObject();
        w.string("id", item.id());
        w.string("agent", item.agent());
        w.timestamp("timestamp", item.timestamp());
        if (item instanceof Pattern p) {
            writePattern(p, w);
        } else if (item instanceof Solution s) {
            writeSolution(s, w);
        } else if (item instanceof Decision d) {
            writeDecision(d, w);
        }
        w.extras(item.extra());
        g.writeEndObject();
    }

    private void writePattern(Pattern p, Writer w) throws IOException {
        boolean v2 = p.extra().isObject() && p.extra().string("version").filter("2.0.0"::equals).isPresent();
        JsonGenerator g = w.g;
        w.raw("pattern", p.pattern());
        if (v2) {
            w.tags(p.tags());
            w.bool("active", p.active());
        }
        PatternMetrics m = p.metrics();
        Writer mw = w.startObject(v2 ? "performance" : "metrics");
        mw.number(v2 ? "success_rate" : "successRate", m.successRate());
        mw.integer(v2 ? "execution_count" : "executionCount", m.executionCount());
        mw.number(v2 ? "avg_time_saved_ms" : "avgTimeSavedMs", m.avgTimeSavedMs());
        mw.integer(v2 ? "error_prevention_count" : "errorPreventionCount", m.errorPreventionCount());
        mw.extras(m.extra());
        g.writeEndObject();
        Evolution e = p.evolution();
        Writer ew = w.startObject(v2 ? "lifecycle" : "evolution");
        ew.timestamp(v2 ? "created_at" : "created", e.created());
        ew.timestamp(v2 ? "last_used_at" : "lastUsed", e.lastUsed());
        ew.integer(v2 ? "refinement_count" : "refinements", e.refinements());
        ew.number(v2 ? "confidence" : "confidenceScore", e.confidenceScore());
        ew.extras(e.extra());
        g.writeEndObject();
        if (!v2) {
            w.tags(p.tags());
            w.bool("active", p.active());
        }
    }

    private void writeSolution(Solution s, Writer w) throws IOException {
        w.raw("problem", s.problem());
        w.raw("solution", s.solution());
        Effectiveness e = s.effectiveness();
        Writer ew = w.startObject("effectiveness");
        ew.bool("worked", e.worked());
        ew.number("timeToFixMinutes", e.timeToFixMinutes());
        ew.integer("preventedRecurrence", e.preventedRecurrence());
        ew.integer("relatedErrorsFixed", e.relatedErrorsFixed());
        ew.extras(e.extra());
        w.g.writeEndObject();
        w.tags(s.tags());
        w.bool("active", s.active());
        w.integer("verifiedCount", s.verifiedCount());
    }

    private void writeDecision(Decision d, Writer w) throws IOException {
        w.raw("decision", d.decision());
        DecisionOutcome o = d.outcome();
        if (o != null) {
            Writer ow = w.startObject("outcome");
            ow.raw("successMetrics", o.successMetrics());
            ow.strings("lessonsLearned", o.lessonsLearned());
            ow.bool("wouldRepeat", o.wouldRepeat());
            ow.strings("improvements", o.improvements());
            ow.extras(o.extra());
            w.g.writeEndObject();
        }
        w.tags(d.tags());
        w.bool("active", d.active());
        w.timestamp("reviewedAt", d.reviewedAt());
    }

    /** Writes the fields of one object and remembers their names, so extras never duplicate them. */
    private final class Writer {
        final JsonGenerator g;
        final boolean pretty;
        final Set<String> written = new HashSet<>();

        Writer(JsonGenerator g, boolean pretty) {
            this.g = g;
            this.pretty = pretty;
        }

        void string(String name, String value) throws IOException {
            written.add(name);
            g.writeStringField(name, value);
        }

        void number(String name, double value) throws IOException {
            written.add(name);
            g.writeFieldName(name);
            g.writeNumber(value);
        }

        void integer(String name, long value) throws IOException {
            written.add(name);
            g.writeFieldName(name);
            g.writeNumber(value);
        }

        void bool(String name, boolean value) throws IOException {
            written.add(name);
            g.writeBooleanField(name, value);
        }

        void tags(List<String> tags) throws IOException {
            strings("tags", tags);
        }

        void strings(String name, List<String> values) throws IOException {
            written.add(name);
            g.writeFieldName(name);
            g.writeStartArray();
            for (String s : values) {
                g.writeString(s);
            }
            g.writeEndArray();
        }

        void timestamp(String name, @Nullable Instant value) throws IOException {
            if (value != null) {
                string(name, formatTimestamp(value));
            }
        }

        void raw(String name, RawJson value) throws IOException {
            written.add(name);
            g.writeFieldName(name);
            copy(value);
        }

        Writer startObject(String name) throws IOException {
            written.add(name);
            g.writeFieldName(name);
            g.writeStartObject();
            return new Writer(g, pretty);
        }

        private void copy(RawJson value) throws IOException {
            if (!pretty) {
                g.writeRawValue(value.json());
                return;
            }
            try (JsonParser p = Json.MAPPER.getFactory().createParser(value.json())) {
                p.nextToken();
                g.copyCurrentStructure(p);
            }
        }

        void extras(RawJson extra) throws IOException {
            if (extra.isEmptyObject() || !extra.isObject()) {
                return;
            }
            try (JsonParser p = Json.MAPPER.getFactory().createParser(extra.json())) {
                p.nextToken(); // START_OBJECT
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    if (written.contains(name)) {
                        p.skipChildren();
                        continue;
                    }
                    written.add(name);
                    g.writeFieldName(name);
                    g.copyCurrentStructure(p);
                }
            }
        }
    }
}
