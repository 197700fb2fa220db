package dev.aml.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.aml.core.AgentId;
import dev.aml.core.RawJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How every command prints: exactly one JSON document on stdout with {@code --json}, otherwise
 * aligned text tables with units. Commands build their result as a record or a {@code Map} and hand it
 * to {@link #json(Object)}; the text form uses {@link #table(String...)} and the unit formatters.
 *
 * <p>JSON conventions (documented in the README): property names are {@code snake_case} (as in Loom's
 * files), instants are ISO-8601 strings in UTC, durations ISO-8601 ({@code PT1.5S}), sizes are bytes
 * unless the name says {@code _mb}, rates are fractions in [0, 1], and absent values are {@code null}.
 */
final class Output {

    /** The mapper behind {@link #json(Object)}; records and maps serialize with the conventions above. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .addModule(new SimpleModule("aml-cli")
                    .addSerializer(Instant.class, new ToStringSerializer<>(Instant.class))
                    .addSerializer(Duration.class, new ToStringSerializer<>(Duration.class))
                    .addSerializer(Path.class, new ToStringSerializer<>(Path.class))
                    .addSerializer(AgentId.class, new AgentIdSerializer())
                    .addSerializer(RawJson.class, new RawJsonSerializer())
                    .addSerializer(new OptionalSerializer()))
            .build();

    private final PrintWriter out;
    private final boolean json;

    /**
     * @param out standard output
     * @param json whether {@code --json} was given
     */
    Output(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** @return whether the command must print one JSON document instead of text */
    boolean isJson() {
        return json;
    }

    /** @return the writer for text output */
    PrintWriter writer() {
        return out;
    }

    /**
     * Prints {@code document} as the single JSON document of this command.
     *
     * @param document a record, map, list or scalar
     */
    void json(Object document) {
        out.println(toJson(document));
        out.flush();
    }

    /**
     * @param document a record, map, list or scalar
     * @return its JSON text with the CLI's conventions
     */
    static String toJson(Object document) {
        try {
            return MAPPER.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print " + document.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * Prints one line of text (ignored in JSON mode, so a command can print text and JSON unconditionally).
     *
     * @param line the line
     */
    void line(String line) {
        if (!json) {
            out.println(line);
        }
    }

    /**
     * @param headers the column headers
     * @return a table that prints aligned on {@link Table#print()}
     */
    Table table(String... headers) {
        return new Table(out, headers);
    }

    /**
     * @param bytes a size in bytes
     * @return e.g. {@code "12.34 MB"} (MB = MiB, as Loom's tools print it), or {@code "512 B"} below 1 KiB
     */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.2f MB", bytes / (1024.0 * 1024.0));
    }

    /**
     * @param bytes a size in bytes
     * @return the size in MiB, for JSON fields named {@code *_mb}, rounded to 3 decimals
     */
    static double mb(long bytes) {
        return Math.round(bytes / (1024.0 * 1024.0) * 1000.0) / 1000.0;
    }

    /**
     * @param fraction a rate in [0, 1]
     * @return e.g. {@code "61.0 %"}
     */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
    }

    /**
     * @param millis a duration in milliseconds
     * @return e.g. {@code "3.21 ms"}
     */
    static String millis(double millis) {
        return String.format(Locale.ROOT, "%.2f ms", millis);
    }

    /**
     * @param n a count
     * @return with thousands separators, e.g. {@code "12,345"}
     */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A text table: columns padded to their widest cell; numeric-looking cells are right-aligned. */
    static final class Table {
        private final PrintWriter out;
        private final String[] headers;
        private final List<String[]> rows = new ArrayList<>();

        private Table(PrintWriter out, String... headers) {
            this.out = out;
            this.headers = headers.clone();
        }

        /**
         * @param cells one cell per header ({@code null} prints as {@code -})
         * @return this table
         */
        Table row(Object... cells) {
            if (cells.length != headers.length) {
                throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.length
                        + " columns");
            }
            String[] r = new String[cells.length];
            for (int i = 0; i < cells.length; i++) {
                r[i] = cells[i] == null ? "-" : String.valueOf(cells[i]);
            }
            rows.add(r);
            return this;
        }

        /** Prints the header and the rows, two spaces between columns, indented by three spaces. */
        void print() {
            int[] width = new int[headers.length];
            for (int i = 0; i < headers.length; i++) {
                width[i] = headers[i].length();
                for (String[] r : rows) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
            printRow(headers, width, false);
            for (String[] r : rows) {
                printRow(r, width, true);
            }
            out.flush();
        }

        private void printRow(String[] cells, int[] width, boolean alignNumbers) {
            StringBuilder sb = new StringBuilder("   ");
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) {
                    sb.append("  ");
                }
                boolean right = alignNumbers && i > 0 && looksNumeric(cells[i]);
                String pad = " ".repeat(width[i] - cells[i].length());
                sb.append(right ? pad + cells[i] : cells[i] + (i == cells.length - 1 ? "" : pad));
            }
            out.println(sb.toString().stripTrailing());
        }

        private static boolean looksNumeric(String s) {
            return !s.isEmpty() && (Character.isDigit(s.charAt(0)) || s.charAt(0) == '-' && s.length() > 1
                    && Character.isDigit(s.charAt(1)));
        }
    }

    private static final class AgentIdSerializer extends StdSerializer<AgentId> {
        private static final long serialVersionUID = 1L;

        AgentIdSerializer() {
            super(AgentId.class);
        }

        @Override
        public void serialize(AgentId value, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeString(value.name());
        }
    }

    private static final class RawJsonSerializer extends StdSerializer<RawJson> {
        private static final long serialVersionUID = 1L;

        RawJsonSerializer() {
            super(RawJson.class);
        }

        @Override
        public void serialize(RawJson value, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeTree(value.tree());
        }
    }

    @SuppressWarnings("rawtypes")
    private static final class OptionalSerializer extends StdSerializer<Optional> {
        private static final long serialVersionUID = 1L;

        OptionalSerializer() {
            super(Optional.class);
        }

        @Override
        public void serialize(Optional value, JsonGenerator g, SerializerProvider p) throws IOException {
            if (value.isPresent()) {
                p.defaultSerializeValue(value.get(), g);
            } else {
                g.writeNull();
            }
        }
    }

    private static final class ToStringSerializer<T> extends StdSerializer<T> {
        private static final long serialVersionUID = 1L;

        ToStringSerializer(Class<T> type) {
            super(type);
        }

        @Override
        public void serialize(T value, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeString(value.toString());
        }
    }
}
