package dev.aml.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every command that does work: gives access to the memory path, the common options and
 * the output streams.
 */
abstract class LeafCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    /** @return the memory root given to {@code aml} (or the default) */
    Path memoryPath() {
        CommandSpec s = spec;
        while (s.parent() != null) {
            s = s.parent();
        }
        return ((AmlCommand) s.userObject()).memoryPath();
    }

    /** @return standard output */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** @return standard error */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** @return the answer of a command whose issue has not landed yet */
    int notImplemented() {
        return NotImplemented.answer(spec);
    }
}
