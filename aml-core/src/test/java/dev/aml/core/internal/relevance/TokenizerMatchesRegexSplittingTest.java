package dev.aml.core.internal.relevance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The tokenizer cuts words by index arithmetic; it gives exactly the terms of the regular-expression
 * version it replaced ({@code split("\\.")}, then {@code split("[_$]+")}, kept here as the reference),
 * on text made of the characters that matter to it.
 */
class TokenizerMatchesRegexSplittingTest {

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().withChars("aAbBzZ09_$.. -:/,ÉéßİıΣσ").ofMaxLength(40);
    }

    @Provide
    Arbitrary<String> words() {
        Arbitrary<String> word = Arbitraries.of("java", "net", "Socket", "TimeoutException", "HTTPServer", "Error",
                "retry", "with", "backoff", "oauth2", "Token", "kafka", "Consumer", "retries", "the", "x", "IO",
                "_", "$", "__", ".", "..", " ", "4", "inner$Class", "snake_case");
        return word.list().ofMaxSize(10).map(w -> String.join("", w));
    }

    @Property(tries = 2000)
    void sameTermsAsTheRegexSplittingOnAnyText(@ForAll("text") String text) {
        assertThat(Tokenizer.tokenize(text)).isEqualTo(reference(text));
    }

    @Property(tries = 2000)
    void sameTermsAsTheRegexSplittingOnIdentifiers(@ForAll("words") String text) {
        assertThat(Tokenizer.tokenize(text)).isEqualTo(reference(text));
    }

    // ------------------------------------------------------------------ the replaced implementation

    private static List<String> reference(String text) {
        List<String> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            while (i < n && !wordChar(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && (wordChar(text.charAt(i)) || (text.charAt(i) == '.' && i + 1 < n
                    && wordChar(text.charAt(i + 1)) && i > start))) {
                i++;
            }
            if (i > start) {
                word(text.substring(start, i), out);
            }
        }
        return out;
    }

    private static boolean wordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static void word(String word, List<String> out) {
        String[] components = word.split("\\.");
        for (int c = 0; c < components.length; c++) {
            List<String> parts = new ArrayList<>();
            for (String piece : components[c].split("[_$]+")) {
                camel(piece, parts);
            }
            for (String p : parts) {
                emit(p, out);
            }
            if (parts.size() > 1 && c == components.length - 1) {
                StringBuilder joined = new StringBuilder();
                for (String p : parts) {
                    joined.append(p.toLowerCase(Locale.ROOT));
                }
                emit(joined.toString(), out);
            }
        }
    }

    private static void camel(String s, List<String> parts) {
        int n = s.length();
        int start = 0;
        for (int i = 1; i < n; i++) {
            char prev = s.charAt(i - 1);
            char cur = s.charAt(i);
            boolean cut = (Character.isLowerCase(prev) && Character.isUpperCase(cur))
                    || (Character.isLetter(prev) && Character.isDigit(cur))
                    || (Character.isDigit(prev) && Character.isLetter(cur))
                    || (Character.isUpperCase(prev) && Character.isUpperCase(cur) && i + 1 < n
                            && Character.isLowerCase(s.charAt(i + 1)));
            if (cut) {
                if (i > start) {
                    parts.add(s.substring(start, i));
                }
                start = i;
            }
        }
        if (n > start) {
            parts.add(s.substring(start));
        }
    }

    /** As before; the stemmer is shared (unchanged). */
    private static void emit(String raw, List<String> out) {
        String t = raw.toLowerCase(Locale.ROOT);
        if (t.length() < 2 && !Character.isDigit(t.isEmpty() ? 'x' : t.charAt(0))) {
            return;
        }
        if (STOP.contains(t)) {
            return;
        }
        out.add(Tokenizer.stem(t));
    }

    private static final java.util.Set<String> STOP = java.util.Set.of("a", "an", "and", "are", "as", "at", "be",
            "been", "but", "by", "can", "do", "does", "for", "from", "has", "have", "how", "i", "if", "in", "into",
            "is", "it", "its", "me", "my", "of", "on", "or", "our", "so", "that", "the", "their", "them", "then",
            "there", "these", "this", "to", "too", "was", "we", "were", "what", "when", "where", "which", "while",
            "who", "why", "will", "with", "you", "your", "should", "would", "could", "get", "got", "keep", "keeps",
            "us", "any", "some", "all", "after", "before", "again", "very", "just", "than", "about", "also", "only",
            "not", "no");
}
