package dev.aml.core.internal.relevance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aml.core.relevance.RelevanceScorer.Score;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenizerTest {

    @Test
    void splitsExceptionClassNamesIntoPackagesWordsAndTheJoinedClassName() {
        assertThat(Tokenizer.tokenize("java.net.SocketTimeoutException")).containsExactly("java", "net", "socket",
                "timeout", "exception", "sockettimeoutexception");
    }

    @Test
    void splitsCamelCaseSnakeCaseAcronymsDigitsAndPunctuation() {
        assertThat(Tokenizer.tokenize("HTTPServerError")).containsExactly("http", "server", "error",
                "httpservererror");
        assertThat(Tokenizer.tokenize("retry_with_backoff")).containsExactly("retry", "backoff", "retrywithbackoff");
        assertThat(Tokenizer.tokenize("Error: 429 (Too Many Requests)!")).containsExactly("error", "429", "many",
                "request");
        assertThat(Tokenizer.tokenize("oauth2Token")).containsExactly("oauth", "2", "token", "oauth2token");
    }

    @Test
    void foldsPluralsAndVerbForms() {
        assertThat(Tokenizer.tokenize("retries retrying retried retry")).containsOnly("retry");
        assertThat(Tokenizer.tokenize("deadlocks deadlocked")).containsOnly("deadlock");
        assertThat(Tokenizer.tokenize("the and of")).isEmpty();
    }

    @Test
    void contextSimilarityIsLoomsRuleWithoutItsNanAndEmptyContextDefects() {
        // Loom: matches / item keys
        assertThat(ContextScorer.score(Map.of("protocol", "http", "service", "payments"),
                Map.of("protocol", "http", "service", "search")).value()).isEqualTo(0.5);
        // Loom's solutions: 0/0 = NaN for an empty item context; here 0
        assertThat(ContextScorer.score(Map.of("protocol", "http"), Map.of()).value()).isZero();
        // no situation context: the scorer does not apply (Loom's decisions matched everything)
        assertThat(ContextScorer.score(Map.of(), Map.of("protocol", "http"))).isEqualTo(Score.NOT_APPLICABLE);
        // numbers by value, strings ignoring case
        assertThat(ContextScorer.score(Map.of("node", 18, "os", "Linux"), Map.of("node", 18.0, "os", "linux"))
                .value()).isEqualTo(1.0);
        assertThat(ContextScorer.score(Map.of("node", "18"), Map.of("node", 18)).value()).isEqualTo(1.0);
    }

    @Test
    void typeSimilarityIgnoresPackagesCaseAndSeparatorsAndToleratesTypos() {
        assertThat(TypeScorer.similarity("SocketTimeoutException", "java.net.SocketTimeoutException")).isEqualTo(1);
        assertThat(TypeScorer.similarity("http-retry", "HTTP_RETRY")).isEqualTo(1);
        assertThat(TypeScorer.similarity("htpp-retry", "http-retry")).isGreaterThanOrEqualTo(0.8);
        assertThat(TypeScorer.similarity("sql-deadlock", "http-retry")).isLessThan(TypeScorer.FLOOR);
    }
}
