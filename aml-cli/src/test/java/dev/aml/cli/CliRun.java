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

    /**
     * @param root the memory path, put first
     * @param env the environment the command sees
     * @param args the command and its options
     * @return the run
     */
    static CliRun at(java.nio.file.Path root, java.util.Map<String, String> env, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = root.toString();
        System.arraycopy(args, 0, all, 1, args.length);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), env, all);
        return new CliRun(code, out.toString(), err.toString());
    }
}
