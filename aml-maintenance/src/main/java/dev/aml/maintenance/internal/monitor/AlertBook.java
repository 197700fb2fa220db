package dev.aml.maintenance.internal.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aml.core.CorruptDataException;
import dev.aml.core.internal.Json;
import dev.aml.maintenance.monitor.Alert;
import dev.aml.maintenance.monitor.AlertLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The alert rules, as a pure function of the alerts on file, the conditions seen now, and the
 * clock. Loom's monitor appends a new alert on every run and never resolves or drops any, so its
 * file grows by a "Low cache hit rate: 0.0%" per run; here:
 *
 * <ul>
 *   <li><b>De-duplication</b>: one open alert per condition key. A condition that persists updates
 *       its open alert (level, message, details, {@code last_seen}, {@code occurrences}) and keeps its
 *       id and first timestamp.</li>
 *   <li><b>Auto-resolve</b>: an open alert of an evaluated category whose condition is no longer seen
 *       is resolved now. Alerts without a key in those categories (written by Loom's tool) are
 *       resolved too: if their condition still holds, it is raised again under its key.</li>
 *   <li><b>Retention</b>: resolved alerts whose {@code resolved_at} is older than the retention are
 *       dropped; open alerts are always kept.</li>
 * </ul>
 */
final class AlertBook {

    /** A condition seen by one evaluation. */
    record Condition(String key, AlertLevel level, String category, String message, Map<String, Object> details) {
    }

    private AlertBook() {
    }

    /**
     * @param existing the alerts on file, in order
     * @param active the conditions seen now
     * @param evaluatedCategories categories whose open alerts this evaluation owns (auto-resolve)
     * @param now the current instant
     * @param retention how long resolved alerts are kept
     * @return the new alert list, in order (existing first, new ones appended)
     */
    static List<Alert> reconcile(List<Alert> existing, List<Condition> active, Set<String> evaluatedCategories,
            Instant now, Duration retention) {
        Map<String, Condition> byKey = new LinkedHashMap<>();
        active.forEach(c -> byKey.putIfAbsent(c.key(), c));
        Set<String> updated = new HashSet<>();
        List<Alert> out = new ArrayList<>();
        for (Alert a : existing) {
            if (a.resolved()) {
                out.add(a);
                continue;
            }
            Condition c = byKey.get(a.condition());
            if (c != null && !a.condition().isEmpty() && updated.add(c.key())) {
                out.add(update(a, c, now));
            } else if (evaluatedCategories.contains(a.category()) || c != null) {
                out.add(resolved(a, now));
            } else {
                out.add(a);
            }
        }
        Set<String> ids = new HashSet<>();
        out.forEach(a -> ids.add(a.id()));
        for (Condition c : byKey.values()) {
            if (!updated.contains(c.key())) {
                String id = newId(now, ids);
                ids.add(id);
                out.add(new Alert(id, now, c.level(), c.category(), c.message(), details(c, now, 1), false, null));
            }
        }
        Instant cutoff = now.minus(retention);
        for (Iterator<Alert> it = out.iterator(); it.hasNext();) {
            Alert a = it.next();
            Instant since = a.resolvedAt() != null ? a.resolvedAt() : a.timestamp();
            if (a.resolved() && since.isBefore(cutoff)) {
                it.remove();
            }
        }
        return out;
    }

    /**
     * Raises or updates one condition outside the evaluated categories.
     *
     * @param existing the alerts on file
     * @param c the condition
     * @param now the current instant
     * @return the new list
     */
    static List<Alert> raise(List<Alert> existing, Condition c, Instant now) {
        List<Alert> out = new ArrayList<>(existing);
        for (int i = 0; i < out.size(); i++) {
            Alert a = out.get(i);
            if (!a.resolved() && a.condition().equals(c.key())) {
                out.set(i, update(a, c, now));
                return out;
            }
        }
        Set<String> ids = new HashSet<>();
        out.forEach(a -> ids.add(a.id()));
        out.add(new Alert(newId(now, ids), now, c.level(), c.category(), c.message(), details(c, now, 1), false, null));
        return out;
    }

    /**
     * @param existing the alerts on file
     * @param key a condition key
     * @param now the current instant
     * @return the new list, with the open alerts of {@code key} resolved
     */
    static List<Alert> resolve(List<Alert> existing, String key, Instant now) {
        List<Alert> out = new ArrayList<>(existing.size());
        for (Alert a : existing) {
            out.add(!a.resolved() && a.condition().equals(key) ? resolved(a, now) : a);
        }
        return out;
    }

    private static Alert update(Alert a, Condition c, Instant now) {
        return new Alert(a.id(), a.timestamp(), c.level(), c.category(), c.message(),
                details(c, now, a.occurrences() + 1), false, null);
    }

    private static Alert resolved(Alert a, Instant now) {
        return new Alert(a.id(), a.timestamp(), a.level(), a.category(), a.message(), a.details(), true, now);
    }

    private static Map<String, Object> details(Condition c, Instant now, long occurrences) {
        Map<String, Object> d = new LinkedHashMap<>(c.details());
        d.put(Alert.CONDITION, c.key());
        d.put(Alert.LAST_SEEN, now.toString());
        d.put(Alert.OCCURRENCES, occurrences);
        return d;
    }

    private static String newId(Instant now, Set<String> taken) {
        String base = "alert_" + now.getEpochSecond();
        if (!taken.contains(base)) {
            return base;
        }
        for (int n = 2;; n++) {
            String id = base + "_" + n;
            if (!taken.contains(id)) {
                return id;
            }
        }
    }

    /**
     * @param file {@code alerts.json}, for messages
     * @param tree its parsed content
     * @param zone the zone of naive timestamps
     * @return the alerts
     * @throws CorruptDataException if the shape is not Loom's
     */
    static List<Alert> fromJson(Path file, JsonNode tree, ZoneId zone) {
        JsonNode list = tree.get("alerts");
        if (!tree.isObject() || list == null || !list.isArray()) {
            throw new CorruptDataException(file + " has no \"alerts\" array; it was left untouched", file, -1,
                    CorruptDataException.PositionKind.NONE, null);
        }
        List<Alert> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode a = list.get(i);
            Instant ts = MonitorFiles.parseInstant(a.path("timestamp").asText(null), zone);
            AlertLevel level;
            try {
                level = AlertLevel.ofLabel(a.path("level").asText(""));
            } catch (IllegalArgumentException e) {
                level = null;
            }
            if (!a.isObject() || ts == null || level == null || !a.path("id").isTextual()) {
                throw new CorruptDataException(file + ": alert " + i + " lacks a valid id, timestamp or level;"
                        + " the file was left untouched", file, i, CorruptDataException.PositionKind.ELEMENT_INDEX,
                        null);
            }
            Map<String, Object> details = new LinkedHashMap<>();
            a.path("details").properties().forEach(e -> details.put(e.getKey(), plain(e.getValue())));
            boolean resolved = a.path("resolved").asBoolean(false);
            Instant resolvedAt = MonitorFiles.parseInstant(a.path("resolved_at").asText(null), zone);
            out.add(new Alert(a.get("id").asText(), ts, level, a.path("category").asText(""),
                    a.path("message").asText(""), details, resolved, resolved ? resolvedAt : null));
        }
        return out;
    }

    /**
     * @param alerts the alerts
     * @return Loom's {@code {"alerts": [...]}} document
     */
    static ObjectNode toJson(List<Alert> alerts) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("alerts");
        for (Alert a : alerts) {
            ObjectNode o = list.addObject();
            o.put("id", a.id());
            o.put("timestamp", a.timestamp().toString());
            o.put("level", a.level().label());
            o.put("category", a.category());
            o.put("message", a.message());
            o.set("details", Json.MAPPER.valueToTree(a.details()));
            o.put("resolved", a.resolved());
            if (a.resolvedAt() == null) {
                o.putNull("resolved_at");
            } else {
                o.put("resolved_at", a.resolvedAt().toString());
            }
        }
        return root;
    }

    private static Object plain(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isTextual()) {
            return v.asText();
        }
        return v; // null, objects and arrays stay JSON trees, so a rewrite keeps them exactly
    }
}
