package dev.aml.cli;

import picocli.CommandLine.Command;

/** {@code aml [path] demo}: create a sample tree and walk through record, query and maintenance. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Create (or reuse) a sample tree and show record, outcome, query, health, prune, backup.")
final class DemoCommand extends LeafCommand {

    @Override
    public Integer call() {
        return notImplemented();
    }
}
