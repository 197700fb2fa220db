package dev.aml.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link StoreChild} in its own JVM, with its stdout lines delivered to a queue. */
final class ChildJvm implements AutoCloseable {

    /** Put into the queue when the child's stdout ends. */
    static final String EOF = "<eof>";

    final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Writer stdin;
    private final Path stderr;

    ChildJvm(Path stderr, String... args) throws IOException {
        this.stderr = stderr;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), StoreChild.class.getName()));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the child died; EOF below
            }
            lines.add(EOF);
        }, "child-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * @param prefix what the line starts with
     * @return the first line with that prefix
     */
    String await(String prefix) throws InterruptedException {
        while (true) {
            String line = lines.poll(300, TimeUnit.SECONDS);
            if (line == null || line.equals(EOF)) {
                throw new AssertionError("child ended or hung before printing '" + prefix + "'; its stderr:\n"
                        + stderrText());
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    String stderrText() {
        try {
            String text = java.nio.file.Files.readString(stderr);
            return text.length() > 4000 ? text.substring(0, 4000) : text;
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
