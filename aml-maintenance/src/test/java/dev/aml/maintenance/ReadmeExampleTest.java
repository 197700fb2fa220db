package dev.aml.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.MemoryItem;
import dev.aml.core.MemoryQuery;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.core.Rank;
import dev.aml.core.Solution;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API example of README.md ("Using the API") is the region between the README markers below:
 * this test runs it, and checks that the README shows exactly these lines, so the example can't rot.
 */
class ReadmeExampleTest {

    private static final Path SOURCE = Path.of("src/test/java/dev/aml/maintenance/ReadmeExampleTest.java");
    private static final Path README = Path.of("../README.md");

    @Test
    void theExampleRuns() {
        try (MemoryManager aml = MemoryManager.builder().build()) {
            // README:start
            AgentMemory coder = aml.agent("coder");
            Pattern retry = coder.patterns().record(PatternDraft.of("retry", Map.of("protocol", "http"))
                    .approach("exponential backoff", "transient faults clear up").tags("http"));
            coder.patterns().recordOutcome(retry.id(), Outcome.success(Duration.ofMillis(120)));
            coder.patterns().recordOutcome(retry.id(), Outcome.success(Duration.ofMillis(80)));

            Solution fix = coder.solutions().record(SolutionDraft.of("TimeoutException", "read timed out")
                    .rootCause("no retry").fixApproach("retry with backoff").tags("http"));
            coder.solutions().recordOutcome(fix.id(), Outcome.success(Duration.ofMinutes(5)));

            List<Pattern> best = coder.patterns().query(MemoryQuery.patterns()
                    .tags("http").minSuccessRate(0.6).rankBy(Rank.WEIGHT).limit(10));
            List<MemoryItem> everyone = aml.query(MemoryQuery.builder().tags("http").limit(20)); // all agents

            QueryStats stats = aml.queryStats(); // average and p95 latency, cache hit rate
            System.out.printf("best: %s (success %.2f), %d results, %d queries%n", best.get(0).id(),
                    best.get(0).successRate(), everyone.size(), stats.queries());
            // README:end
            assertThat(best).extracting(Pattern::id).containsExactly(retry.id());
            assertThat(best.get(0).metrics().executionCount()).isEqualTo(3);
            assertThat(everyone).hasSize(2);
            assertThat(stats.queries()).isEqualTo(2);
        }
    }

    @Test
    void theReadmeShowsTheExample() throws IOException {
        List<String> example = region(Files.readAllLines(SOURCE, StandardCharsets.UTF_8));
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int from = readme.indexOf("<!-- api-example:start -->");
        int to = readme.indexOf("<!-- api-example:end -->");
        assertThat(from).as("README has the api-example markers").isNotNegative();
        assertThat(to).isGreaterThan(from);
        List<String> shown = readme.substring(from, to).lines().map(String::strip).toList();
        assertThat(example).isNotEmpty();
        assertThat(shown).as("README's example must equal the region of %s", SOURCE).containsSubsequence(example);
        assertThat(String.join("\n", shown)).contains(String.join("\n", example));
    }

    private static List<String> region(List<String> lines) {
        int start = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.equals("// README:start")) {
                start = i + 1;
            } else if (l.equals("// README:end")) {
                end = i;
            }
        }
        return lines.subList(start, end).stream().map(String::strip).toList();
    }
}
