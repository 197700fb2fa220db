package dev.aml.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.MemoryQuery;
import dev.aml.core.Pattern;
import dev.aml.core.readme.ReadmeExamples;
import dev.aml.maintenance.AgentMemory;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.PatternDraft;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The README's starter example runs in a context with the README's properties, and the README shows it. */
class StarterReadmeTest {

    // README:start
    // application.properties: aml.memory-root=.loom/memory   aml.prune.pattern-max-age-days=60
    @org.springframework.stereotype.Service
    static class Coder {
        private final AgentMemory memory;

        Coder(MemoryManager aml) {                  // the starter's bean, closed with the context
            this.memory = aml.agent("coder");
        }

        List<Pattern> whatWorked() {
            return memory.patterns().query(MemoryQuery.patterns().minSuccessRate(0.6).limit(5));
        }
    }
    // README:end

    @TempDir
    Path dir;

    @Test
    void theExampleRuns() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AmlAutoConfiguration.class))
                .withPropertyValues("aml.memory-root=" + dir.resolve(".loom/memory"),
                        "aml.prune.pattern-max-age-days=60")
                .withBean(Coder.class).run(ctx -> {
                    MemoryManager aml = ctx.getBean(MemoryManager.class);
                    Pattern p = aml.agent("coder").patterns().record(PatternDraft.of("retry", Map.of()));
                    aml.agent("coder").patterns().recordOutcome(p.id(), dev.aml.core.Outcome.success());
                    assertThat(ctx.getBean(Coder.class).whatWorked()).extracting(Pattern::id).containsExactly(p.id());
                    assertThat(aml.pruneConfig().patternMaxAgeDays()).isEqualTo(60);
                });
    }

    @Test
    void theReadmeShowsTheExample() {
        ReadmeExamples.assertReadmeShows(Path.of("src/test/java/dev/aml/spring/boot/StarterReadmeTest.java"),
                Path.of("../README.md"), "spring-boot-example");
    }
}
