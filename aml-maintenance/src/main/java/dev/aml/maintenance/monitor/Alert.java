package dev.aml.maintenance.monitor;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One alert of {@code monitoring/alerts.json}, in Loom's shape. AML adds three entries to
 * {@code details}, which Loom's tool shows but does not interpret: {@code condition} (the key that
 * de-duplicates: one open alert per condition), {@code last_seen} and {@code occurrences}.
 *
 * @param id e.g. {@code alert_1769400000} (a {@code _n} suffix keeps ids unique within a second)
 * @param timestamp when the condition was first raised
 * @param level severity
 * @param category e.g. {@code memory}, {@code performance}, {@code integrity}, {@code maintenance}
 * @param message what is wrong, in one line
 * @param details free-form values (numbers, strings), in insertion order
 * @param resolved whether the condition cleared
 * @param resolvedAt when it cleared, {@code null} while open
 */
public record Alert(String id, Instant timestamp, AlertLevel level, String category, String message,
        Map<String, Object> details, boolean resolved, @Nullable Instant resolvedAt) {

    /** Details key holding the de-duplication key. */
    public static final String CONDITION = "condition";
    /** Details key holding when the condition was last seen. */
    public static final String LAST_SEEN = "last_seen";
    /** Details key counting how many evaluations saw the condition. */
    public static final String OCCURRENCES = "occurrences";

    /** Copies the details (nulls allowed as values); rejects null fields. */
    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(message, "message");
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** @return the de-duplication key, or {@code ""} for alerts written by other tools */
    public String condition() {
        Object c = details.get(CONDITION);
        return c == null ? "" : c.toString();
    }

    /** @return how many evaluations saw this condition (1 for alerts without the counter) */
    public long occurrences() {
        Object o = details.get(OCCURRENCES);
        return o instanceof Number n ? n.longValue() : 1;
    }
}
