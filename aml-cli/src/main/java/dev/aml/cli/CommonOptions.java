package dev.aml.cli;

import picocli.CommandLine.Option;

/** Options every command accepts; mixed in with {@code @Mixin}. */
final class CommonOptions {

    @Option(names = "--json", description = "Print one JSON document on stdout instead of text.")
    boolean json;

    @Option(names = "--verbose", description = "Show stack traces of errors.")
    boolean verbose;

    /** @return whether JSON output was requested */
    public boolean json() {
        return json;
    }

    /** @return whether verbose errors were requested */
    public boolean verbose() {
        return verbose;
    }
}
