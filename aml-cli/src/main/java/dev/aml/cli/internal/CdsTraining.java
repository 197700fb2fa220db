package dev.aml.cli.internal;

import dev.aml.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run of the {@code ./aml} launcher's class-data-sharing archive: runs the everyday
 * commands in one JVM on a small demo tree in a temp folder, so a JVM started with
 * {@code -XX:ArchiveClassesAtExit} archives the classes they load. Later runs map that archive
 * ({@code -XX:SharedArchiveFile}) instead of loading and verifying those classes from the jar again.
 * Output and exit codes of the commands are ignored (a warning exit of {@code monitor health} is
 * expected); the temp folder is deleted afterwards.
 *
 * <p>Usage: {@code java -XX:ArchiveClassesAtExit=aml.jsa -cp aml.jar dev.aml.cli.internal.CdsTraining}.
 */
public final class CdsTraining {

    private static final List<List<String>> COMMANDS = List.of(
            List.of("demo"),
            List.of("prune", "--strategies", "time_based", "performance_based", "--dry-run"),
            List.of("prune", "--strategies", "time_based", "performance_based", "--dry-run", "--json"),
            List.of("monitor", "health"),
            List.of("monitor", "metrics"),
            List.of("monitor", "report"),
            List.of("monitor", "alerts"),
            List.of("backup", "create"),
            List.of("backup", "create", "--codec", "lz4"),
            List.of("backup", "create", "--incremental"),
            List.of("backup", "verify"),
            List.of("backup", "list"),
            List.of("backup", "auto"),
            List.of("prune", "--strategies", "time_based", "performance_based"),
            List.of("optimize", "all"),
            List.of("migrate", "detect"));

    private CdsTraining() {
    }

    /**
     * Runs the commands.
     *
     * @param args ignored
     * @throws IOException if the temp folder cannot be created
     */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("aml-cds-training");
        try {
            String memory = dir.resolve(".loom/memory").toString();
            StringWriter sink = new StringWriter();
            PrintWriter out = new PrintWriter(sink);
            for (List<String> command : COMMANDS) {
                String[] line = Stream.concat(Stream.of(memory), command.stream()).toArray(String[]::new);
                Main.run(out, out, line);
                sink.getBuffer().setLength(0);
            }
            Main.run(out, out, "--help");
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
