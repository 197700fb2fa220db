/**
 * The {@code aml} command line. {@link dev.aml.cli.Main} is the entry point; each top-level command
 * lives in its own class. Human output goes to stdout as aligned text, {@code --json} prints exactly
 * one JSON document on stdout, diagnostics go to stderr, and the exit code says what happened
 * (see {@link dev.aml.cli.ExitCodes}).
 */
@NullMarked
package dev.aml.cli;

import org.jspecify.annotations.NullMarked;
