package dev.aml.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.agent.testing.PaymentsMemory;
import dev.aml.core.MemoryStore;
import dev.aml.core.Pattern;
import dev.aml.core.readme.ReadmeExamples;
import dev.aml.embeddings.LangChain4jEmbedder;
import dev.aml.maintenance.MemoryManager;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.service.AiServices;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's LangChain4j example runs (scripted chat model, toy embedding model) on a store opened
 * by location, as {@code aml.location} is, and the README shows it.
 */
class LangChain4jReadmeTest {

    interface Assistant {
        String chat(String message);
    }

    /** A deterministic two-dimensional embedding: whether the text mentions "payments"; keeps what it embedded. */
    static final class ToyEmbeddingModel implements EmbeddingModel {
        final List<String> embedded = new ArrayList<>();

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            segments.forEach(s -> embedded.add(s.text()));
            return Response.from(segments.stream().map(s -> Embedding.from(new float[] {
                    s.text().contains("payments") ? 1f : 0f, 1f})).toList());
        }

        @Override
        public int dimension() {
            return 2;
        }
    }

    @TempDir
    Path dir;

    static String ask(ChatModel chatModel, EmbeddingModel embeddingModel, String location) {
        // README:start
        MemoryStore store = MemoryStore.open(location);   // as aml.location: a directory, jdbc:postgresql:..., memory:
        try (MemoryManager aml = MemoryManager.builder().store(store)     // the manager closes the store
                .embedder(LangChain4jEmbedder.of(embeddingModel, "toy-embeddings")).build()) { // semantic retrieval
            Assistant assistant = AiServices.builder(Assistant.class).chatModel(chatModel)
                    .tools(AmlTools.forAgent(aml, "coder"))              // aml_recall, aml_record_outcome, ...
                    .contentRetriever(AmlContentRetriever.forAgent(aml, "coder")) // what worked, in the prompt
                    .build();
            return assistant.chat("Call the payments API");
        }
        // README:end
    }

    @Test
    void theExampleRunsOnAnEmptyMemory() {
        ScriptedChatModel chatModel = new ScriptedChatModel().then(r -> AiMessage.from("ok"));
        assertThat(ask(chatModel, new ToyEmbeddingModel(), "memory:")).isEqualTo("ok");
        assertThat(chatModel.requests).hasSize(1);
    }

    @Test
    void theExamplePutsWhatTheTreeAtTheLocationHoldsIntoThePrompt() {
        Path root = dir.resolve("memory");
        Pattern backoff = PaymentsMemory.treeWithBackoff(root);
        ScriptedChatModel chatModel = new ScriptedChatModel().then(r -> AiMessage.from("ok"));
        ToyEmbeddingModel embeddingModel = new ToyEmbeddingModel();
        assertThat(ask(chatModel, embeddingModel, root.toString())).isEqualTo("ok");
        assertThat(chatModel.requests.get(0).messages().toString())
                .contains("pattern " + backoff.id() + ": api-call: retry the payments API");
        assertThat(embeddingModel.embedded).anyMatch(t -> t.contains("payments API"));   // the retrieval embedded
    }

    @Test
    void theReadmeShowsTheExample() {
        ReadmeExamples.assertReadmeShows(Path.of("src/test/java/dev/aml/langchain4j/LangChain4jReadmeTest.java"),
                Path.of("../README.md"), "langchain4j-example");
    }
}
