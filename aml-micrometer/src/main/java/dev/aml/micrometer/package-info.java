/**
 * Micrometer meters for AML: {@link dev.aml.micrometer.AmlMetrics} binds sizes, health, alerts, query
 * latency, cache counters, outcomes and backup age of one {@code MemoryManager} to any
 * {@code MeterRegistry}, with bounded cardinality (no per-item tags).
 */
@NullMarked
package dev.aml.micrometer;

import org.jspecify.annotations.NullMarked;
