package dev.aml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aml.core.ItemKind;
import dev.aml.core.MemoryItem;
import dev.aml.store.FileMemoryStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryCommandTest {

    @TempDir
    Path dir;

    Path root;

    @BeforeEach
    void tree() throws IOException {
        root = dir.resolve(".loom/memory");
        Files.createDirectories(root.resolve("global"));
        Files.createDirectories(root.resolve("config"));
        write("coder/patterns.json", "[{\"id\":\"p1\",\"agent\":\"coder\",\"pattern\":{\"type\":\"http-retry\","
                + "\"context\":{\"protocol\":\"http\"},\"approach\":{\"technique\":\"exponential backoff with jitter\","
                + "\"rationale\":\"synchronized retries overload a recovering upstream\"}},"
                + "\"metrics\":{\"successRate\":0.9,\"executionCount\":40}},"
                + "{\"id\":\"p2\",\"agent\":\"coder\",\"pattern\":{\"type\":\"sql-deadlock\","
                + "\"approach\":{\"technique\":\"lock rows in primary key order\",\"rationale\":\"deadlocks\"}},"
                + "\"metrics\":{\"successRate\":0.8,\"executionCount\":10}}]");
        write("ops/solutions.json", "[{\"id\":\"s1\",\"agent\":\"ops\",\"problem\":{\"errorType\":"
                + "\"java.net.SocketTimeoutException\",\"errorMessage\":\"Read timed out\",\"context\":{}},"
                + "\"solution\":{\"rootCause\":\"no client read timeout\",\"fixApproach\":\"set read timeout 2s\"},"
                + "\"effectiveness\":{\"worked\":true}}]");
    }

    void write(String rel, String text) throws IOException {
        Path f = root.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text, StandardCharsets.UTF_8);
    }

    @Test
    void jsonIsExactlyOneDocumentWithTheResultsBestFirst() throws IOException {
        CliRun r = CliRun.of(root.toString(), "query", "--text", "retries with backoff", "--context", "protocol=http",
                "--json");
        assertThat(r.code()).isZero();
        JsonNode doc = MonitorCommandTest.STRICT.readTree(r.out());
        JsonNode results = doc.get("results");
        assertThat(results).hasSize(1);
        JsonNode first = results.get(0);
        assertThat(first.get("id").asText()).isEqualTo("p1");
        assertThat(first.get("agent").asText()).isEqualTo("coder");
        assertThat(first.get("kind").asText()).isEqualTo("pattern");
        for (String f : List.of("score", "relevance", "weight")) {
            assertThat(first.get(f).isNumber()).as(f).isTrue();
        }
    }

    @Test
    void filtersByKindAndAgentAndExplains() {
        CliRun r = CliRun.of(root.toString(), "query", "--kind", "solution", "--agent", "ops", "--error",
                "SocketTimeoutException", "--explain");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("s1", "set read timeout", "type", "relevance");
        assertThat(r.out()).doesNotContain("p1");
    }

    @Test
    void worksWhileAWriterHoldsTheTreeAndWritesNothing() throws IOException {
        long before;
        try (FileMemoryStore writer = FileMemoryStore.builder(root).open()) {
            List<MemoryItem> items = writer.items(dev.aml.core.AgentId.of("coder"), ItemKind.PATTERN);
            assertThat(items).hasSize(2);
            before = Files.getLastModifiedTime(root.resolve("coder/patterns.json")).toMillis();
            CliRun r = CliRun.of(root.toString(), "query", "--text", "deadlock", "--json");
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("\"p2\"");
        }
        assertThat(Files.getLastModifiedTime(root.resolve("coder/patterns.json")).toMillis()).isEqualTo(before);
        assertThat(root.resolve("global/embeddings.vec")).doesNotExist();
    }

    @Test
    void aQueryWithoutASituationIsAUsageError() {
        CliRun r = CliRun.of(root.toString(), "query", "--limit", "3");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--text");
    }
}
