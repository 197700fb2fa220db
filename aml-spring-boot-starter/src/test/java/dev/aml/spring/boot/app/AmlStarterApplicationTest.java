package dev.aml.spring.boot.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.MemoryQuery;
import dev.aml.core.Outcome;
import dev.aml.core.Pattern;
import dev.aml.core.Rank;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.PatternDraft;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A whole application: starts, records, queries, reports health through Actuator, shuts down cleanly. */
@SpringBootTest(classes = AmlStarterApplicationTest.App.class, properties = "spring.main.web-application-type=none")
@DirtiesContext
class AmlStarterApplicationTest {

    private static final Path ROOT;

    static {
        try {
            ROOT = Files.createTempDirectory("aml-starter").resolve("memory");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void memoryRoot(DynamicPropertyRegistry registry) {
        registry.add("aml.memory-root", ROOT::toString);
        registry.add("aml.health.max-age", () -> "0s");
        // judge the cache hit rate from the first query (default: not before 100), so one miss is critical
        registry.add("aml.monitor.min-queries-for-performance", () -> "1");
        registry.add("management.endpoint.health.show-details", () -> "always");
    }

    /**
     * The queries of the cache-hit-rate checks: ranked by success rate, which time alone does not change,
     * so a repeat is a cache hit whatever the clock says (the default weight ranking is recomputed each
     * second, which made the hit count depend on how long the health run took).
     */
    private static final MemoryQuery HTTP_BY_SUCCESS = MemoryQuery.patterns().tags("http").rankBy(Rank.SUCCESS_RATE)
            .build();

    @SpringBootApplication
    static class App {
    }

    @Autowired
    MemoryManager aml;
    @Autowired
    HealthEndpoint health;
    @Autowired
    MeterRegistry registry;

    @Test
    void startsRecordsQueriesReportsHealthAndShutsDownCleanly() throws Exception {
        Pattern p = aml.agent("coder").patterns().record(PatternDraft.of("retry", Map.of("protocol", "http"))
                .tags("http"));
        aml.agent("coder").patterns().recordOutcome(p.id(), Outcome.success(Duration.ofMillis(50)));
        List<Pattern> found = aml.agent("coder").patterns().query(HTTP_BY_SUCCESS);
        assertThat(found).extracting(Pattern::id).containsExactly(p.id());
        aml.store().checkpoint();

        // one query, one cache miss: with a minimum sample of 1, a hit rate of 0 % is critical, so the component is DOWN and says why
        IndicatedHealthDescriptor first = (IndicatedHealthDescriptor) health.healthForPath("aml");
        assertThat(first.getStatus().getCode()).isEqualTo("DOWN");
        assertThat(first.getDetails()).containsEntry("status", "critical");
        List<Object> failing = List.copyOf(((Map<?, ?>) first.getDetails().get("errors")).keySet());
        assertThat(failing).containsExactly((Object) "performance_ok");
        assertThat(registry.get("aml.health.status").gauge().value()).isEqualTo(2);

        aml.agent("coder").patterns().query(HTTP_BY_SUCCESS); // two hits: 67 %
        aml.agent("coder").patterns().query(HTTP_BY_SUCCESS);
        HealthDescriptor component = health.healthForPath("aml");
        assertThat(component).isInstanceOf(IndicatedHealthDescriptor.class);
        IndicatedHealthDescriptor amlHealth = (IndicatedHealthDescriptor) component;
        assertThat(amlHealth.getStatus().getCode()).as("%s", amlHealth.getDetails()).isEqualTo("UP"); // warnings only
        assertThat(amlHealth.getDetails()).containsEntry("status", "warning").containsKey("warnings");
        assertThat(registry.get("aml.health.status").gauge().value()).isEqualTo(1); // the run refreshed the meters
        assertThat(registry.get("aml.outcomes").tags("kind", "pattern", "result", "success").counter().count())
                .isEqualTo(1);

        // the same application on a tree named by aml.location, run and shut down: the tree is unlocked and
        // holds what was recorded (the context of this test stays open until the test framework closes it)
        Path second = ROOT.resolveSibling("second");
        String id;
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
                .properties("spring.main.web-application-type=none", "aml.location=" + second.toUri()).run()) {
            MemoryManager m = app.getBean(MemoryManager.class);
            assertThat(m.root()).contains(second);
            id = m.agent("coder").patterns().record(PatternDraft.of("retry", Map.of())).id();
        }
        try (MemoryManager again = MemoryManager.open(second)) {
            assertThat(again.agent("coder").patterns().get(id)).isPresent();
        }
    }
}
