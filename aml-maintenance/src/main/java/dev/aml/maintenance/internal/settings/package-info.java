/**
 * How {@link dev.aml.maintenance.settings.AmlSettings} maps to {@code config/aml.json}: the schema
 * derived from the records' components ({@link dev.aml.maintenance.internal.settings.Schema}) and the
 * layered loader ({@link dev.aml.maintenance.internal.settings.Loader}).
 */
@NullMarked
package dev.aml.maintenance.internal.settings;

import org.jspecify.annotations.NullMarked;
