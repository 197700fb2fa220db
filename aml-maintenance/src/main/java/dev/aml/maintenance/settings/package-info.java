/**
 * One settings model for the whole product, read from {@code <memory-root>/config/aml.json}.
 *
 * <p>{@link dev.aml.maintenance.settings.AmlSettings} holds the records the rest of AML already
 * takes ({@link dev.aml.maintenance.PruneConfig}, {@link dev.aml.maintenance.BackupConfig},
 * {@link dev.aml.maintenance.MonitorConfig}) plus the store and cache settings. Its keys are not a
 * second copy of those records: they are derived from the records' components, one key per
 * component (two for a warning/critical {@link dev.aml.maintenance.Threshold}), named in the
 * reference toolkit's snake_case and grouped in the sections {@code prune}, {@code backup},
 * {@code monitor}, {@code store} and {@code cache}. Validation is the records' own: the compact
 * constructors decide what is allowed, and {@link dev.aml.maintenance.settings.SettingsLoader}
 * only translates their message into the key path and the file, variable or flag it came from.
 *
 * <p>Layers, highest first: command-line flag, environment ({@code AML_<SECTION>_<KEY>}), file,
 * default. {@link dev.aml.maintenance.settings.EffectiveSettings} tells the source of every value.
 * Loom's own {@code config.json} at the memory root belongs to Loom's TypeScript tools and is
 * never read.
 */
@NullMarked
package dev.aml.maintenance.settings;

import org.jspecify.annotations.NullMarked;
