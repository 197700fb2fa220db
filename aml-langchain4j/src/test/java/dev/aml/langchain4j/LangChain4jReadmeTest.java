package dev.aml.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.MemoryQuery;
import dev.aml.core.relevance.Situation;
import dev.aml.core.readme.ReadmeExamples;
import dev.aml.embeddings.LangChain4jEmbedder;
import dev.aml.maintenance.MemoryManager;
import dev.aml.maintenance.PatternDraft;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.service.AiServices;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's LangChain4j example runs (scripted chat model, toy embedding model), and the README shows it. */
class LangChain4jReadmeTest {

    interface Assistant {
        String chat(String message);
    }

    /** A deterministic two-dimensional embedding: whether the text mentions "payments". */
    static final class ToyEmbeddingModel implements EmbeddingModel {
        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            return Response.from(segments.stream().map(s -> Embedding.from(new float[] {
                    s.text().contains("payments") ? 1f : 0f, 1f})).toList());
        }

        @Override
        public int dimension() {
            return 2;
        }
    }

    @Test
    void theExampleRuns() {
        ChatModel chatModel = new ScriptedChatModel().then(r -> AiMessage.from("ok"));
        EmbeddingModel embeddingModel = new ToyEmbeddingModel();
        // README:start
        try (MemoryManager aml = MemoryManager.builder()                  // semantic retrieval with any EmbeddingModel
                .embedder(LangChain4jEmbedder.of(embeddingModel, "toy-embeddings")).build()) {
            Assistant assistant = AiServices.builder(Assistant.class).chatModel(chatModel)
                    .tools(AmlTools.forAgent(aml, "coder"))              // aml_recall, aml_record_outcome, ...
                    .contentRetriever(AmlContentRetriever.forAgent(aml, "coder")) // what worked, in the prompt
                    .build();
            String answer = assistant.chat("Call the payments API");
            // README:end
            assertThat(answer).isEqualTo("ok");
            aml.agent("coder").patterns().record(PatternDraft.of("api-call", Map.of())
                    .approach("retry the payments API", "timeouts clear up"));
            assertThat(aml.relevance().embedder()).isPresent();
            assertThat(aml.relevance().query(MemoryQuery.patterns().relevantTo(Situation.ofText("payments")).build()))
                    .hasSize(1);
        }
    }

    @Test
    void theReadmeShowsTheExample() {
        ReadmeExamples.assertReadmeShows(Path.of("src/test/java/dev/aml/langchain4j/LangChain4jReadmeTest.java"),
                Path.of("../README.md"), "langchain4j-example");
    }
}
