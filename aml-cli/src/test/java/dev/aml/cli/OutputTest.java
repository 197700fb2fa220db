package dev.aml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aml.core.AgentId;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutputTest {

    record Sample(AgentId largestAgent, Instant takenAt, Duration took, Path path, Optional<String> note,
            Optional<String> missing, long totalSizeBytes) {
    }

    @Test
    void jsonUsesSnakeCaseIsoTimesAndNullsForAbsentValues() throws Exception {
        StringWriter sw = new StringWriter();
        Output o = new Output(new PrintWriter(sw, true), true);
        o.json(new Sample(AgentId.of("coder"), Instant.parse("2026-01-02T03:04:05Z"), Duration.ofMillis(1500),
                Path.of("a", "b"), Optional.of("hi"), Optional.empty(), 42));
        JsonNode n = Output.MAPPER.readTree(sw.toString());
        assertThat(n.get("largest_agent").asText()).isEqualTo("coder");
        assertThat(n.get("taken_at").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(n.get("took").asText()).isEqualTo("PT1.5S");
        assertThat(n.get("path").asText()).isEqualTo(Path.of("a", "b").toString());
        assertThat(n.get("note").asText()).isEqualTo("hi");
        assertThat(n.get("missing").isNull()).isTrue();
        assertThat(n.get("total_size_bytes").asLong()).isEqualTo(42);
    }

    @Test
    void textLinesAreSuppressedInJsonMode() {
        StringWriter sw = new StringWriter();
        new Output(new PrintWriter(sw, true), true).line("hello");
        assertThat(sw.toString()).isEmpty();
    }

    @Test
    void tablesAlignColumnsAndRightAlignNumbers() {
        StringWriter sw = new StringWriter();
        Output o = new Output(new PrintWriter(sw, true), false);
        o.table("Agent", "Size", "Patterns").row("coder", "1.00 MB", "12").row("reviewer-long", "12.50 MB", "3")
                .print();
        assertThat(sw.toString().lines()).containsExactly(
                "   Agent          Size      Patterns",
                "   coder           1.00 MB        12",
                "   reviewer-long  12.50 MB         3");
    }

    @Test
    void unitsAreReadable() {
        assertThat(Output.size(512)).isEqualTo("512 B");
        assertThat(Output.size(1536)).isEqualTo("1.5 KB");
        assertThat(Output.size(3 * 1024 * 1024)).isEqualTo("3.00 MB");
        assertThat(Output.mb(1024 * 1024 + 1024 * 1024 / 2)).isEqualTo(1.5);
        assertThat(Output.percent(0.612)).isEqualTo("61.2 %");
        assertThat(Output.millis(3.214)).isEqualTo("3.21 ms");
        assertThat(Output.count(12345)).isEqualTo("12,345");
    }
}
