package dev.aml.maintenance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one optimize operation did (or, in a dry run, would do).
 *
 * <p>{@link #counts()} keys, per operation (absent keys are 0):
 * <ul>
 *   <li>{@code gc}: {@code invalid_items} (items without an id), {@code duplicate_ids} (older copies of
 *       an id within one agent and kind), {@code exact_duplicates} (patterns of one agent with the same
 *       normalized body, beyond the first), {@code merged} (of those, merged into the first),
 *       {@code orphan_files} ({@code X.json.gz} beside a live {@code X.json}: reported, never deleted),
 *       {@code temp_files_removed}, {@code empty_files_removed}, {@code unreadable_files} (reported,
 *       never deleted);</li>
 *   <li>{@code compress}: {@code files_compressed}, {@code files_skipped} (already compressed or too new);</li>
 *   <li>{@code index}: {@code indexed} (entries written), {@code skipped_without_id}, {@code bloom_bits};</li>
 *   <li>{@code warm-cache}: {@code candidates} (items with confidence and success ≥ 0.7),
 *       {@code queries} (queries run to fill the cache), {@code cache_capacity}.</li>
 * </ul>
 *
 * @param operation {@code gc}, {@code compress}, {@code index}, {@code warm-cache} or {@code all}
 * @param dryRun whether nothing was changed
 * @param bytesBefore size of the memory tree before, in bytes (files on disk, or items' serialized size)
 * @param bytesAfter size after (equal to before in a dry run)
 * @param durationMillis how long it took
 * @param counts what was found or changed, by the keys above
 * @param changes one human line per change made (or that would be made)
 * @param errors one line per problem that stopped part of the work (e.g. an unreadable agent)
 * @param steps for {@code all}: the reports of its steps, in order
 */
public record OptimizeReport(String operation, boolean dryRun, long bytesBefore, long bytesAfter,
        long durationMillis, Map<String, Long> counts, List<String> changes, List<String> errors,
        List<OptimizeReport> steps) {

    /** Copies the collections (keeping the counts' order); rejects nulls. */
    public OptimizeReport {
        Objects.requireNonNull(operation, "operation");
        counts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        changes = List.copyOf(changes);
        errors = List.copyOf(errors);
        steps = List.copyOf(steps);
    }

    /**
     * @param key a count's key
     * @return its value, 0 when absent
     */
    public long count(String key) {
        return counts.getOrDefault(key, 0L);
    }

    /** @return whether nothing stopped part of the work */
    public boolean ok() {
        return errors.isEmpty() && steps.stream().allMatch(OptimizeReport::ok);
    }
}
