package dev.aml.loom.internal;

import dev.aml.loom.TimestampStyle;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Loom timestamps: reading every style Loom's tools write (naive local time with any number of
 * fraction digits, {@code Z}, {@code ±hh:mm}) and writing them losslessly in a
 * {@link TimestampStyle}. Static and thread-safe; the readers and the writer of item files share it.
 */
public final class LoomTimestamps {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT);

    private LoomTimestamps() {
    }

    /**
     * Parses a timestamp in any style Loom writes or its Python toolkit reads: the ISO shapes
     * ({@code 2026-01-02T03:04:05}, any number of fraction digits, {@code Z} or {@code ±hh:mm}), then
     * every other form Python 3.11's {@code fromisoformat} accepts ({@link PythonIsoTimestamps}: a space
     * for {@code T}, a date alone, …). A naive timestamp is local time in {@code zone}; a date alone is
     * its start of day there.
     *
     * @param text the text
     * @param zone the zone of naive timestamps
     * @return the instant, or {@code null} if the text is not such a timestamp
     */
    public static @Nullable Instant parseTimestamp(String text, ZoneId zone) {
        Instant iso = parseIsoTimestamp(text, zone);
        return iso != null ? iso : PythonIsoTimestamps.parse(text, zone);
    }

    /**
     * Parses the ISO shapes only (those AML writes back in its own style); a form only Python reads
     * gives {@code null}, so the fast readers decline it and the tree reader keeps its text.
     *
     * @param text the text
     * @param zone the zone of naive timestamps
     * @return the instant, or {@code null}
     */
    public static @Nullable Instant parseIsoTimestamp(String text, ZoneId zone) {
        Instant fast = parseCommon(text, zone);
        if (fast != null) {
            return fast;
        }
        try {
            TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parse(text.strip());
            if (t.isSupported(java.time.temporal.ChronoField.OFFSET_SECONDS)) {
                return Instant.from(t);
            }
            return LocalDateTime.from(t).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The longest text {@link #parseCommon} accepts: seconds, nine fraction digits and an offset. */
    static final int MAX_COMMON_LENGTH = 35;

    /** {@link #parseCommon(char[], int, int, ZoneId)} of a string. */
    static @Nullable Instant parseCommon(String s, ZoneId zone) {
        int n = s.length();
        return n < 19 || n > MAX_COMMON_LENGTH ? null : parseCommon(s.toCharArray(), 0, n, zone);
    }

    /**
     * Fast path for the shapes Loom writes ({@code uuuu-MM-ddTHH:mm:ss}, optional fraction, optional
     * {@code Z} or {@code ±hh:mm}); anything else (or any doubt) goes to the full ISO parser. Reads a
     * char array, which the fast readers have at hand and C1-compiled code indexes without a call.
     *
     * @param c the characters
     * @param off where the text starts
     * @param n its length
     * @param zone the zone of naive timestamps
     * @return the instant, or {@code null} for the full parser to decide
     */
    static @Nullable Instant parseCommon(char[] c, int off, int n, ZoneId zone) {
        if (n < 19 || c[off + 4] != '-' || c[off + 7] != '-' || c[off + 10] != 'T' || c[off + 13] != ':'
                || c[off + 16] != ':') {
            return null;
        }
        int year = digits(c, off, 4);
        int month = digits(c, off + 5, 2);
        int day = digits(c, off + 8, 2);
        int hour = digits(c, off + 11, 2);
        int minute = digits(c, off + 14, 2);
        int second = digits(c, off + 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (i < n && c[off + i] == '.') {
            int start = ++i;
            while (i < n && c[off + i] >= '0' && c[off + i] <= '9') {
                i++;
            }
            int len = i - start;
            if (len == 0 || len > 9) {
                return null;
            }
            nanos = digits(c, off + start, len);
            for (int k = len; k < 9; k++) {
                nanos *= 10;
            }
        }
        LocalDateTime local;
        try {
            local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
        } catch (DateTimeException e) {
            return null;
        }
        if (i == n) {
            return local.atZone(zone).toInstant();
        }
        char sign = c[off + i];
        if (i == n - 1 && sign == 'Z') {
            return local.toInstant(ZoneOffset.UTC);
        }
        if (i == n - 6 && (sign == '+' || sign == '-') && c[off + i + 3] == ':') {
            int oh = digits(c, off + i + 1, 2);
            int om = digits(c, off + i + 4, 2);
            if ((oh | om) < 0 || oh > 18 || om > 59) {
                return null;
            }
            int total = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
            try {
                return local.toInstant(ZoneOffset.ofTotalSeconds(total));
            } catch (DateTimeException e) {
                return null;
            }
        }
        return null;
    }

    private static int digits(char[] c, int from, int count) {
        int v = 0;
        for (int k = from; k < from + count; k++) {
            char d = c[k];
            if (d < '0' || d > '9') {
                return -1;
            }
            v = v * 10 + (d - '0');
        }
        return v;
    }

    /**
     * @param instant an instant
     * @param style the style
     * @param zone the zone for {@link TimestampStyle#NAIVE_LOCAL}
     * @return the text, lossless
     */
    public static String formatTimestamp(Instant instant, TimestampStyle style, ZoneId zone) {
        LocalDateTime local = LocalDateTime.ofInstant(instant, style == TimestampStyle.UTC_Z ? ZoneOffset.UTC : zone);
        StringBuilder sb = new StringBuilder(32);
        int year = local.getYear();
        if (year < 0 || year > 9999) {
            sb.append(SECONDS.format(local));
        } else {
            pad(sb, year, 4).append('-');
            pad(sb, local.getMonthValue(), 2).append('-');
            pad(sb, local.getDayOfMonth(), 2).append('T');
            pad(sb, local.getHour(), 2).append(':');
            pad(sb, local.getMinute(), 2).append(':');
            pad(sb, local.getSecond(), 2);
        }
        int nanos = local.getNano();
        if (style == TimestampStyle.UTC_Z) {
            appendFraction(sb, nanos, 3);
            sb.append('Z');
        } else if (nanos != 0) {
            appendFraction(sb, nanos, 6);
        }
        return sb.toString();
    }

    private static void appendFraction(StringBuilder sb, int nanos, int minDigits) {
        int digits = nanos % 1000 != 0 ? 9 : nanos % 1_000_000 != 0 ? 6 : 3;
        digits = Math.max(digits, minDigits);
        sb.append('.');
        int value = nanos;
        for (int k = 9; k > digits; k--) {
            value /= 10;
        }
        pad(sb, value, digits);
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        int start = sb.length();
        sb.append(value);
        for (int len = sb.length() - start; len < width; len++) {
            sb.insert(start, '0');
        }
        return sb;
    }
}
