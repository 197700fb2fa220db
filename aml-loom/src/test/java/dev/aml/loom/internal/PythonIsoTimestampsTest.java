package dev.aml.loom.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Agrees with CPython 3.11's {@code datetime.fromisoformat} on every line of the recorded corpus. */
class PythonIsoTimestampsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void agreesWithPython311OnEveryRecordedInput() throws IOException {
        List<String> disagreements = new ArrayList<>();
        int lines = 0;
        int valid = 0;
        try (InputStream in = Objects.requireNonNull(
                PythonIsoTimestampsTest.class.getResourceAsStream("/dev/aml/loom/python311-fromisoformat.tsv"));
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                int tab = line.lastIndexOf('\t');
                String input = JSON.readValue(line.substring(0, tab), String.class);
                String expected = line.substring(tab + 1);
                String actual = show(PythonIsoTimestamps.parse(input));
                lines++;
                if (!expected.equals("invalid")) {
                    valid++;
                }
                if (!expected.equals(actual)) {
                    disagreements.add(line.substring(0, tab) + " python=" + expected + " aml=" + actual);
                }
            }
        }
        assertThat(lines).isGreaterThan(2000);
        assertThat(valid).as("the corpus has accepted inputs too").isGreaterThan(300);
        assertThat(disagreements).isEmpty();
    }

    @Test
    void aNaiveTimestampIsLocalTimeAndADateAloneIsItsStartOfDay() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        assertThat(PythonIsoTimestamps.parse("2026-01-02", berlin)).isEqualTo(Instant.parse("2026-01-01T23:00:00Z"));
        assertThat(PythonIsoTimestamps.parse("2026-07-02 03:04:05.5", berlin))
                .isEqualTo(Instant.parse("2026-07-02T01:04:05.500Z"));
        assertThat(PythonIsoTimestamps.parse("2026-01-02 03:04:05+01:00:00.5", berlin))
                .isEqualTo(Instant.parse("2026-01-02T02:04:04.500Z"));
        assertThat(PythonIsoTimestamps.parse("yesterday", berlin)).isNull();
    }

    /** The corpus notation: {@code 2026-01-02T03:04:05.000000|naive} or {@code …|<offset µs>} (year unpadded, as strftime). */
    private static String show(PythonIsoTimestamps.@Nullable Parsed p) {
        if (p == null) {
            return "invalid";
        }
        LocalDateTime t = p.local();
        String base = String.format("%d-%02d-%02dT%02d:%02d:%02d.%06d", t.getYear(), t.getMonthValue(),
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1000);
        return base + "|" + (p.offsetMicros() == null ? "naive" : p.offsetMicros().toString());
    }
}
