package dev.aml.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Options every command accepts; mixed in with {@code @Mixin}. */
final class CommonOptions {

    @Option(names = "--json", description = "Print one JSON document on stdout instead of text.")
    boolean json;

    @Option(names = "--verbose", description = "Show stack traces of errors.")
    boolean verbose;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file to use instead of <memory-path>/config/aml.json (or AML_CONFIG).")
    @Nullable Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Set one setting for this run, e.g. --set prune.min_success_rate=0.3 (repeatable).")
    List<String> set = new ArrayList<>();

    /** @return whether JSON output was requested */
    public boolean json() {
        return json;
    }

    /** @return whether verbose errors were requested */
    public boolean verbose() {
        return verbose;
    }
}
