package dev.aml.cli;

import picocli.CommandLine.Model.CommandSpec;

/** Placeholder answer of commands whose issue has not landed yet. */
final class NotImplemented {
    private NotImplemented() {
    }

    static int answer(CommandSpec spec) {
        spec.commandLine().getErr().println("aml: '" + spec.qualifiedName().replaceFirst("^aml ", "")
                + "' is not implemented yet");
        return ExitCodes.USAGE;
    }
}
