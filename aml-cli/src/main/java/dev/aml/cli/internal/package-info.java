/**
 * Helpers of the {@code aml} launcher that are not part of the command line: the training run that
 * records which classes a typical command loads, for the JVM's class-data-sharing archive.
 */
@NullMarked
package dev.aml.cli.internal;

import org.jspecify.annotations.NullMarked;
