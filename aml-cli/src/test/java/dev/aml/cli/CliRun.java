package dev.aml.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the real {@code aml} main in-process and captures stdout, stderr and the exit code. */
record CliRun(int code, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
