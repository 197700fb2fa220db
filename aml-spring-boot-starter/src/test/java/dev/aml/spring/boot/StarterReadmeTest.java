package dev.aml.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aml.core.Durability;
import dev.aml.core.MemoryQuery;
import dev.aml.core.Pattern;
import dev.aml.core.readme.ReadmeExamples;
import dev.aml.maintenance.AgentMemory;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.PatternDraft;
import dev.aml.store.FileMemoryStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The README's starter example runs in a context with the README's properties, and the README shows
 * it; every property the README's block names, active or commented out, is one the starter knows.
 */
class StarterReadmeTest {

    private static final Path README = Path.of("../README.md");
    private static final java.util.regex.Pattern PROPERTY =
            java.util.regex.Pattern.compile("^(# )?(aml\\.[a-z0-9.-]+)=(.*)$");

    // README:start
    @org.springframework.stereotype.Service
    static class Coder {
        private final AgentMemory memory;

        Coder(MemoryManager aml) {                  // the starter's bean on aml.location, closed with the context
            this.memory = aml.agent("coder");
        }

        List<Pattern> whatWorked() {
            return memory.patterns().query(MemoryQuery.patterns().minSuccessRate(0.6).limit(5));
        }
    }
    // README:end

    @TempDir
    Path dir;

    /** @return the README's property lines: key to value, commented ones under "# key" */
    private static Map<String, String> readmeProperties() throws IOException {
        String text = Files.readString(README, StandardCharsets.UTF_8);
        int from = text.indexOf("<!-- spring-boot-properties:start -->");
        int to = text.indexOf("<!-- spring-boot-properties:end -->");
        assertThat(from).as("README has the spring-boot-properties markers").isNotNegative();
        assertThat(to).isGreaterThan(from);
        Map<String, String> found = new LinkedHashMap<>();
        for (String line : text.substring(from, to).lines().toList()) {
            Matcher m = PROPERTY.matcher(line.strip());
            if (m.matches()) {
                found.put((m.group(1) == null ? "" : "# ") + m.group(2), m.group(3));
            }
        }
        return found;
    }

    @Test
    void theExampleRunsWithTheReadmesProperties() throws IOException {
        List<String> active = new ArrayList<>();
        readmeProperties().forEach((key, value) -> {
            if (!key.startsWith("# ")) {   // a relative location is relative to the working directory: here, dir
                active.add(key + "=" + (key.equals("aml.location") ? dir.resolve(value) : value));
            }
        });
        assertThat(active).contains("aml.location=" + dir.resolve(".loom/memory"), "aml.prune.pattern-max-age-days=60");
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AmlAutoConfiguration.class))
                .withPropertyValues(active.toArray(String[]::new)).withBean(Coder.class).run(ctx -> {
                    MemoryManager aml = ctx.getBean(MemoryManager.class);
                    assertThat(aml.root()).contains(dir.resolve(".loom/memory"));
                    assertThat(((FileMemoryStore) aml.store()).durability()).isEqualTo(Durability.SYNC);
                    Pattern p = aml.agent("coder").patterns().record(PatternDraft.of("retry", Map.of()));
                    aml.agent("coder").patterns().recordOutcome(p.id(), dev.aml.core.Outcome.success());
                    assertThat(ctx.getBean(Coder.class).whatWorked()).extracting(Pattern::id).containsExactly(p.id());
                    assertThat(aml.pruneConfig().patternMaxAgeDays()).isEqualTo(60);
                });
    }

    @Test
    void everyPropertyTheReadmeNamesIsInTheMetadata() throws IOException {
        Set<String> known = new HashSet<>();
        for (JsonNode p : new ObjectMapper().readTree(Path.of(
                "target/classes/META-INF/spring-configuration-metadata.json").toFile()).get("properties")) {
            known.add(p.get("name").asText());
        }
        List<String> named = readmeProperties().keySet().stream().map(k -> k.replaceFirst("^# ", "")).toList();
        assertThat(named).contains("aml.location", "aml.jdbc.user");
        assertThat(known).containsAll(named);
    }

    @Test
    void theReadmeShowsTheExample() {
        ReadmeExamples.assertReadmeShows(Path.of("src/test/java/dev/aml/spring/boot/StarterReadmeTest.java"),
                README, "spring-boot-example");
    }
}
