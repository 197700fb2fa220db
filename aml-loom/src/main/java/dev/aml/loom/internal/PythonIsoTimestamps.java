package dev.aml.loom.internal;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads a timestamp exactly as CPython 3.11's {@code datetime.fromisoformat} does, the function
 * Loom's Python toolkit reads every timestamp with.
 *
 * <p>That covers much more than the shapes Loom writes: a space (or any single character) instead of
 * {@code T}, a date alone ({@code 2026-01-02}), the basic format ({@code 20260102T030405}), ISO week
 * dates ({@code 2026-W01-2}), hours without minutes or seconds, one to six (or more, truncated)
 * fraction digits after {@code .} or {@code ,}, and offsets {@code Z}, {@code ±hh}, {@code ±hhmm},
 * {@code ±hh:mm}, {@code ±hh:mm:ss[.ffffff]}. It also keeps 3.11's quirks, so that a text counts as a
 * timestamp here exactly when it does for the toolkit: for example a space before the offset is
 * accepted and {@code 2026-01-02T} is not. {@code python311-fromisoformat.tsv} in the tests records
 * what the real function makes of some 2,500 inputs; this class must agree with every line.
 *
 * <p>The parse works on the UTF-8 bytes of the text, as CPython does, reading a NUL past the end.
 *
 * <p>Stateless and thread-safe.
 */
public final class PythonIsoTimestamps {

    private static final int[] FRACTION_SCALE = {100_000, 10_000, 1_000, 100, 10, 1};

    private PythonIsoTimestamps() {
    }

    /**
     * What {@code fromisoformat} returned: a wall-clock date and time, with an offset when the text had one.
     *
     * @param local the date and time as written (microsecond precision)
     * @param offsetMicros the UTC offset in microseconds, or {@code null} for a naive timestamp
     */
    public record Parsed(LocalDateTime local, @Nullable Long offsetMicros) {

        /**
         * @param zoneOfNaive the zone a naive timestamp is local time in
         * @return the instant: exact for an aware timestamp, {@code local} in {@code zoneOfNaive} for a
         *     naive one (a date alone is its start of day there)
         */
        public Instant toInstant(ZoneId zoneOfNaive) {
            Long offset = offsetMicros;
            if (offset == null) {
                return local.atZone(zoneOfNaive).toInstant();
            }
            return local.toInstant(ZoneOffset.UTC).minus(offset, ChronoUnit.MICROS);
        }
    }

    /**
     * @param text the text
     * @param zoneOfNaive the zone a naive timestamp is local time in
     * @return the instant, or {@code null} if {@code fromisoformat} rejects the text
     */
    public static @Nullable Instant parse(String text, ZoneId zoneOfNaive) {
        Parsed p = parse(text);
        return p == null ? null : p.toInstant(zoneOfNaive);
    }

    /**
     * @param text the text
     * @return what {@code fromisoformat} makes of it, or {@code null} if it raises {@code ValueError}
     */
    public static @Nullable Parsed parse(String text) {
        if (text.codePointCount(0, text.length()) < 7) {
            return null;
        }
        byte[] b = utf8(text);
        if (b == null) {
            return null;
        }
        return new Cursor(b).datetime();
    }

    /**
     * The text as UTF-8; a lone surrogate is allowed only as the separator (code point 7, 8 or 10) and
     * is read as {@code T}, as CPython does; anywhere else it makes the text invalid.
     */
    private static byte @Nullable [] utf8(String text) {
        int[] cps = text.codePoints().toArray();
        for (int pos : new int[] {7, 8, 10}) {
            if (pos < cps.length && Character.isSurrogate((char) cps[pos]) && cps[pos] <= 0xFFFF) {
                cps[pos] = 'T';
                break;
            }
        }
        for (int cp : cps) {
            if (cp <= 0xFFFF && Character.isSurrogate((char) cp)) {
                return null;
            }
        }
        return new String(cps, 0, cps.length).getBytes(StandardCharsets.UTF_8);
    }

    /** The parse state: the bytes and, for one call of {@link #clock}, its four results. */
    private static final class Cursor {
        private final byte[] b;
        private final int[] clock = new int[4]; // hour, minute, second, microsecond (or the offset's)
        private int pos;

        Cursor(byte[] b) {
            this.b = b;
        }

        /** The byte at {@code i}, or NUL past the end (CPython reads the terminator there). */
        private int at(int i) {
            return i < b.length ? b[i] & 0xFF : 0;
        }

        private static boolean isDigit(int c) {
            return c >= '0' && c <= '9';
        }

        /** Reads {@code count} digits at {@link #pos}; {@code -1} if one of them is not a digit. */
        private int digits(int count) {
            int v = 0;
            for (int k = 0; k < count; k++) {
                int c = at(pos++);
                if (!isDigit(c)) {
                    return -1;
                }
                v = v * 10 + (c - '0');
            }
            return v;
        }

        @Nullable Parsed datetime() {
            int len = b.length;
            int sep = separator(len);
            if (sep < 0) {
                return null;
            }
            LocalDate date = date(sep);
            if (date == null) {
                return null;
            }
            int hour = 0;
            int minute = 0;
            int second = 0;
            int micros = 0;
            Long offset = null;
            if (len > sep) {
                int lead = at(sep);
                int start = sep + ((lead & 0x80) == 0 ? 1 : (lead & 0xF0) == 0xE0 ? 3 : (lead & 0xF0) == 0xF0 ? 4 : 2);
                int timeLength = len - start;
                int end = start + timeLength;
                int tz = start;
                do {
                    int c = at(tz);
                    if (c == 'Z' || c == '+' || c == '-') {
                        break;
                    }
                } while (++tz < end);
                int rv = clock(start, tz);
                if (rv < 0) {
                    return null;
                }
                hour = clock[0];
                minute = clock[1];
                second = clock[2];
                micros = clock[3];
                if (tz == end) {
                    if (rv == 1) {
                        return null;
                    }
                } else if (at(tz) == 'Z') {
                    if (at(tz + 1) != 0) {
                        return null;
                    }
                    offset = 0L;
                } else {
                    long sign = at(tz) == '-' ? -1 : 1;
                    if (clock(tz + 1, end) != 0) {
                        return null;
                    }
                    long seconds = clock[0] * 3600L + clock[1] * 60L + clock[2];
                    long total = sign * (seconds * 1_000_000L + clock[3]);
                    if (Math.abs(total) >= 86_400_000_000L) {
                        return null; // timezone() wants strictly less than a day
                    }
                    offset = total;
                }
            }
            if (hour > 23 || minute > 59 || second > 59) {
                return null;
            }
            return new Parsed(date.atTime(hour, minute, second, micros * 1000), offset);
        }

        /**
         * Where the date ends: 7, 8 or 10, depending on characters 4 and 5 (and, for week dates,
         * on how many digits follow).
         */
        private int separator(int len) {
            if (len == 7) {
                return 7;
            }
            if (at(4) == '-') {
                if (at(5) != 'W') {
                    return 10; // YYYY-MM-DD
                }
                if (len < 8) {
                    return -1;
                }
                if (len > 8 && at(8) == '-') {
                    if (len == 9) {
                        return -1;
                    }
                    // YYYY-Www-D or YYYY-Www then '-' as separator: a digit at 10 means the latter
                    return len > 10 && isDigit(at(10)) ? 8 : 10;
                }
                return 8; // YYYY-Www
            }
            if (at(4) == 'W') {
                int i = 7;
                while (i < len && isDigit(at(i))) {
                    i++;
                }
                if (i < 9) {
                    return i;
                }
                return i % 2 == 0 ? 7 : 8; // time digits come in pairs
            }
            return 8; // YYYYMMDD
        }

        private @Nullable LocalDate date(int length) {
            pos = 0;
            int year = digits(4);
            if (year < 0) {
                return null;
            }
            boolean dashes = at(pos) == '-';
            if (dashes) {
                pos++;
            }
            try {
                if (at(pos) == 'W') {
                    pos++;
                    int week = digits(2);
                    if (week < 0) {
                        return null;
                    }
                    int day = 1;
                    if (pos < length) {
                        if (dashes && at(pos++) != '-') {
                            return null;
                        }
                        day = digits(1);
                        if (day < 0) {
                            return null;
                        }
                    }
                    return week(year, week, day);
                }
                int month = digits(2);
                if (month < 0 || (dashes && at(pos++) != '-')) {
                    return null;
                }
                int day = digits(2);
                if (day < 0 || year < 1) {
                    return null;
                }
                return LocalDate.of(year, month, day);
            } catch (DateTimeException e) {
                return null;
            }
        }

        private static @Nullable LocalDate week(int year, int week, int day) {
            if (year < 1 || day < 1 || day > 7 || week < 1) {
                return null;
            }
            LocalDate jan4 = LocalDate.of(year, 1, 4);
            if (week > IsoFields.WEEK_OF_WEEK_BASED_YEAR.rangeRefinedBy(jan4).getMaximum()) {
                return null;
            }
            LocalDate d = jan4.with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, week).with(ChronoField.DAY_OF_WEEK, day);
            return d.getYear() < 1 || d.getYear() > 9999 ? null : d;
        }

        /**
         * Reads {@code HH[:?MM[:?SS[{.,}ffffff]]]} from {@code start}, stopping at {@code end}, into
         * {@link #clock}.
         *
         * @return 0 when the text ended cleanly, 1 when something follows, negative when malformed
         */
        private int clock(int start, int end) {
            Arrays.fill(clock, 0);
            pos = start;
            boolean colons = true;
            for (int i = 0; i < 3; i++) {
                int v = digits(2);
                if (v < 0) {
                    return -3;
                }
                clock[i] = v;
                int c = at(pos++);
                if (i == 0) {
                    colons = c == ':';
                }
                if (pos >= end) {
                    return c != 0 ? 1 : 0;
                }
                if (colons && c == ':') {
                    continue;
                }
                if (c == '.' || c == ',') {
                    break;
                }
                if (!colons) {
                    pos--;
                } else {
                    return -4;
                }
            }
            // after three fields without a decimal mark CPython 3.11 still reads what follows as the fraction
            int toParse = Math.min(end - pos, 6);
            int f = digits(toParse);
            if (f < 0) {
                return -3;
            }
            clock[3] = toParse == 0 ? 0 : f * FRACTION_SCALE[toParse - 1];
            while (isDigit(at(pos))) {
                pos++;
            }
            return at(pos) != 0 ? 1 : 0;
        }
    }
}
