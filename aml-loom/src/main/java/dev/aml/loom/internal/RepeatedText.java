package dev.aml.loom.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Per-file caches of the text that repeats on nearly every element of an item file: agent names
 * and tags (one {@link String} instance per distinct short text, and one list per pair of tags).
 * Sharing the instances
 * saves allocation while reading and heap afterwards; a lookup compares characters and allocates
 * nothing on a hit. Slots are direct-mapped: a collision just replaces the older entry.
 *
 * <p>One instance per file read; not thread-safe.
 */
final class RepeatedText {

    /** Longer texts are not cached. */
    static final int CACHEABLE_LENGTH = 48;

    private final String[] strings;
    private final TagPair[] pairs;
    private final View view = new View();

    /** @param size slots for strings, a power of two (a few for one item, hundreds for a file) */
    RepeatedText(int size) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size must be a power of two, was " + size);
        }
        strings = new String[size];
        pairs = new TagPair[Math.max(1, size / 4)];
    }

    /** @return the text of {@code buf[off, off + len)}, the cached instance if there is one */
    String of(char[] buf, int off, int len) {
        if (len > CACHEABLE_LENGTH) {
            return new String(buf, off, len);
        }
        int slot = slot(view.ofChars(buf, off, len));
        String cached = strings[slot];
        if (cached != null && view.contentEquals(cached)) {
            return cached;
        }
        String s = new String(buf, off, len);
        strings[slot] = s;
        return s;
    }

    /** @return the text of the ASCII bytes {@code buf[off, off + len)}, the cached instance if there is one */
    String ofAscii(byte[] buf, int off, int len) {
        if (len > CACHEABLE_LENGTH) {
            return new String(buf, off, len, StandardCharsets.ISO_8859_1);
        }
        int slot = slot(view.ofBytes(buf, off, len));
        String cached = strings[slot];
        if (cached != null && view.contentEquals(cached)) {
            return cached;
        }
        String s = new String(buf, off, len, StandardCharsets.ISO_8859_1);
        strings[slot] = s;
        return s;
    }

    private int slot(View text) {
        int h = text.length();
        for (int k = 0; k < text.length(); k++) {
            h = 31 * h + text.charAt(k);
        }
        return (h ^ (h >>> 9)) & (strings.length - 1);
    }

    /** @return an immutable list of the two tags, the same instance as for the last equal pair in its slot */
    List<String> pair(String first, String second) {
        int slot = (first.hashCode() * 31 + second.hashCode()) & (pairs.length - 1);
        TagPair cached = pairs[slot];
        if (cached != null && cached.first.equals(first) && cached.second.equals(second)) {
            return cached.list;
        }
        List<String> list = List.of(first, second);
        pairs[slot] = new TagPair(first, second, list);
        return list;
    }

    private record TagPair(String first, String second, List<String> list) {
    }

    /** A reusable view of part of a char buffer or of ASCII bytes. */
    private static final class View implements CharSequence {
        private char @Nullable [] chars;
        private byte @Nullable [] bytes;
        private int off;
        private int len;

        View ofChars(char[] buffer, int offset, int length) {
            chars = buffer;
            bytes = null;
            off = offset;
            len = length;
            return this;
        }

        View ofBytes(byte[] buffer, int offset, int length) {
            bytes = buffer;
            chars = null;
            off = offset;
            len = length;
            return this;
        }

        boolean contentEquals(String s) {
            if (s.length() != len) {
                return false;
            }
            for (int k = 0; k < len; k++) {
                if (s.charAt(k) != charAt(k)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int length() {
            return len;
        }

        @Override
        public char charAt(int index) {
            if (index < 0 || index >= len) {
                throw new IndexOutOfBoundsException(index);
            }
            byte[] b = bytes;
            return b != null ? (char) b[off + index] : chars[off + index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return toString().substring(start, end);
        }

        @Override
        public String toString() {
            byte[] b = bytes;
            return b != null ? new String(b, off, len, StandardCharsets.ISO_8859_1) : new String(chars, off, len);
        }
    }
}
