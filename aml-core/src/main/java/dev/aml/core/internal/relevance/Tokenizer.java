package dev.aml.core.internal.relevance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits text into the terms the lexical index and its queries share. Words are runs of letters,
 * digits, {@code _}, {@code $} and inner dots; each is cut at dots (packages), underscores and
 * {@code $} (snake_case, inner classes) and at camelCase boundaries ({@code HTTPServerError} gives
 * {@code http}, {@code server}, {@code error}); a compound also yields its joined form
 * ({@code java.net.SocketTimeoutException} gives {@code java}, {@code net}, {@code socket},
 * {@code timeout}, {@code exception} and {@code sockettimeoutexception}). Terms are lower-cased,
 * English stop words and one-letter terms are dropped, and a light suffix stemmer folds plurals and
 * {@code -ing}/{@code -ed} forms ({@code retries}, {@code retrying}, {@code retried} → {@code retry}).
 */
public final class Tokenizer {

    /** A HashSet, not Set.of: every term is looked up, and Set.of's probing (a floorMod each) showed in profiles. */
    private static final Set<String> STOP = new HashSet<>(List.of(
            "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "do", "does", "for", "from",
            "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "our",
            "so", "that", "the", "their", "them", "then", "there", "these", "this", "to", "too", "was", "we", "were",
            "what", "when", "where", "which", "while", "who", "why", "will", "with", "you", "your", "should",
            "would", "could", "get", "got", "keep", "keeps", "us", "any", "some", "all", "after", "before", "again",
            "very", "just", "than", "about", "also", "only", "not", "no"));

    private Tokenizer() {
    }

    /**
     * @param text any text
     * @return its terms, in order, with repeats
     */
    public static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        tokenize(text, out);
        return out;
    }

    /**
     * @param text any text
     * @param out receives its terms, in order, with repeats
     */
    static void tokenize(String text, List<String> out) {
        List<String> parts = new ArrayList<>();
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
                word(text, start, i, parts, out);
            }
        }
    }

    private static boolean wordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /**
     * Emits the terms of the word {@code text[start, end)}: its components (cut at dots), each cut at
     * runs of {@code _} and {@code $} and at camelCase boundaries, plus the joined form of the last
     * component. Index arithmetic, no regular expressions: this runs for every word of every item
     * indexed and every query.
     */
    private static void word(String text, int start, int end, List<String> parts, List<String> out) {
        int last = end;
        while (last > start && text.charAt(last - 1) == '.') {
            last--; // no trailing empty component, as with String.split (the scanner never ends a word with a dot)
        }
        int from = start;
        while (true) {
            int to = from;
            while (to < last && text.charAt(to) != '.') {
                to++;
            }
            parts.clear();
            int p = from;
            while (p < to) {
                while (p < to && separator(text.charAt(p))) {
                    p++;
                }
                int pieceStart = p;
                while (p < to && !separator(text.charAt(p))) {
                    p++;
                }
                if (p > pieceStart) {
                    camel(text, pieceStart, p, parts);
                }
            }
            for (int i = 0; i < parts.size(); i++) {
                emit(parts.get(i), out);
            }
            // the joined form of a compound identifier: only for the last component of a dotted name
            // (the class, not its packages) or for an undotted compound
            if (parts.size() > 1 && to >= last) {
                StringBuilder joined = new StringBuilder(to - from);
                for (int i = 0; i < parts.size(); i++) {
                    joined.append(parts.get(i).toLowerCase(Locale.ROOT));
                }
                emit(joined.toString(), out);
            }
            if (to >= last) {
                return;
            }
            from = to + 1;
        }
    }

    private static boolean separator(char c) {
        return c == '_' || c == '$';
    }

    /**
     * Cuts {@code s[from, to)} at lower→upper, letter↔digit, and before the last capital of a capital
     * run followed by lower case.
     */
    private static void camel(String s, int from, int to, List<String> parts) {
        int start = from;
        for (int i = from + 1; i < to; i++) {
            char prev = s.charAt(i - 1);
            char cur = s.charAt(i);
            boolean cut = (Character.isLowerCase(prev) && Character.isUpperCase(cur))
                    || (Character.isLetter(prev) && Character.isDigit(cur))
                    || (Character.isDigit(prev) && Character.isLetter(cur))
                    || (Character.isUpperCase(prev) && Character.isUpperCase(cur) && i + 1 < to
                            && Character.isLowerCase(s.charAt(i + 1)));
            if (cut) {
                if (i > start) {
                    parts.add(s.substring(start, i));
                }
                start = i;
            }
        }
        if (to > start) {
            parts.add(s.substring(start, to));
        }
    }

    private static void emit(String raw, List<String> out) {
        String t = raw.toLowerCase(Locale.ROOT);
        if (t.length() < 2 && !Character.isDigit(t.isEmpty() ? 'x' : t.charAt(0))) {
            return;
        }
        if (STOP.contains(t)) {
            return;
        }
        out.add(stem(t));
    }

    /**
     * @param t a lower-case term
     * @return its light stem
     */
    static String stem(String t) {
        int n = t.length();
        if (n > 4 && t.endsWith("ies")) {
            return t.substring(0, n - 3) + "y";
        }
        if (n > 4 && t.endsWith("ied")) {
            return t.substring(0, n - 3) + "y";
        }
        if (n > 4 && t.endsWith("sses")) {
            return t.substring(0, n - 2);
        }
        if (n > 5 && t.endsWith("ing")) {
            return undouble(t.substring(0, n - 3));
        }
        if (n > 5 && t.endsWith("ed")) {
            return undouble(t.substring(0, n - 2));
        }
        if (n > 3 && t.endsWith("s") && !t.endsWith("ss") && !t.endsWith("us") && !t.endsWith("is")) {
            return t.substring(0, n - 1);
        }
        return t;
    }

    /** {@code stopp} → {@code stop}, {@code throttl} stays. */
    private static String undouble(String s) {
        int n = s.length();
        if (n > 3 && s.charAt(n - 1) == s.charAt(n - 2) && "bdgklmnprt".indexOf(s.charAt(n - 1)) >= 0
                && s.charAt(n - 1) != 'l') {
            return s.substring(0, n - 1);
        }
        return s;
    }
}
