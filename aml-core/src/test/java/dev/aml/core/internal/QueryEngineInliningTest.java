package dev.aml.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Guards the shape the cache hit path's speed depends on (see {@link QueryEngine}'s javadoc): C2
 * inlines a hot method only up to {@code FreqInlineSize} (325 bytes of bytecode), so the slow path
 * must stay longer than that, or it is inlined into {@code query}, which then compiles too big to be
 * inlined into its callers and every hit pays a call. The sizes are read with {@code javap}.
 */
class QueryEngineInliningTest {

    private static final int FREQ_INLINE_SIZE = 325;
    private static final Pattern METHOD = Pattern.compile("^  \\S.*?\\b(\\w+)\\(.*\\);$");
    private static final Pattern INSTRUCTION = Pattern.compile("^\\s+(\\d+): \\w+");

    @Test
    void theSlowPathIsTooBigToInlineAndTheHitPathIsSmall() throws Exception {
        Map<String, Integer> lastOffsets = lastInstructionOffsets();
        assertThat(lastOffsets.get("answerSlowly"))
                .as("answerSlowly must stay over C2's FreqInlineSize so it is never inlined into query")
                .isGreaterThan(FREQ_INLINE_SIZE);
        assertThat(lastOffsets.get("query")).as("the hit path").isLessThan(120);
    }

    private static Map<String, Integer> lastInstructionOffsets() throws Exception {
        ToolProvider javap = ToolProvider.findFirst("javap")
                .orElseThrow(() -> new AssertionError("javap is needed: run the tests on a JDK"));
        String classes = Path.of(QueryEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = javap.run(new PrintWriter(out), new PrintWriter(err), "-c", "-p", "-cp", classes,
                QueryEngine.class.getName());
        assertThat(status).as("javap: %s", err).isZero();
        Map<String, Integer> last = new HashMap<>();
        String method = null;
        for (String line : out.toString().split("\\R")) {
            Matcher m = METHOD.matcher(line);
            if (m.matches()) {
                method = m.group(1);
                continue;
            }
            Matcher i = INSTRUCTION.matcher(line);
            if (method != null && i.find()) {
                last.merge(method, Integer.parseInt(i.group(1)), Math::max);
            }
        }
        assertThat(last).containsKeys("answerSlowly", "query");
        return last;
    }
}
