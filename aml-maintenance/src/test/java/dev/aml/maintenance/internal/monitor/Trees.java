package dev.aml.maintenance.internal.monitor;

import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.BackupType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Builds Loom-shaped trees on disk for monitoring tests. */
final class Trees {
    private Trees() {
    }

    /** Creates {@code root} with {@code global/} and {@code config/}. */
    static Path layout(Path root) throws IOException {
        Files.createDirectories(root.resolve("global"));
        Files.createDirectories(root.resolve("config"));
        return root;
    }

    /** Writes {@code n} small patterns for {@code agent}; returns the file. */
    static Path patterns(Path root, String agent, int n) throws IOException {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":\"p").append(i).append("\",\"agent\":\"").append(agent)
                    .append("\",\"pattern\":{\"type\":\"retry\"},\"metrics\":{\"successRate\":0.9}}");
        }
        return write(root.resolve(agent).resolve("patterns.json"), sb.append("]").toString());
    }

    /** Writes a solutions file of exactly {@code bytes} bytes (one padded item). */
    static Path solutionsOfSize(Path root, String agent, long bytes) throws IOException {
        String head = "[{\"id\":\"s1\",\"pad\":\"";
        String tail = "\"}]";
        int pad = (int) (bytes - head.length() - tail.length());
        if (pad < 0) {
            throw new IllegalArgumentException("too small: " + bytes);
        }
        return write(root.resolve(agent).resolve("solutions.json"), head + "x".repeat(pad) + tail);
    }

    static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    static Path writeGzip(Path file, String text) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        Files.createDirectories(file.getParent());
        return Files.write(file, bos.toByteArray());
    }

    /** Writes {@code global/index.json} modified at {@code modified}. */
    static void index(Path root, Instant modified) throws IOException {
        Path f = write(root.resolve("global").resolve("index.json"), "{\"entries\":[],\"version\":\"1.0.0\"}");
        Files.setLastModifiedTime(f, FileTime.from(modified));
    }

    static BackupInfo backup(String id, Instant at, boolean verified) {
        return new BackupInfo(id, BackupType.FULL, at, null, "", List.of("coder"), 1, 10, Path.of(id), verified, "gzip",
                true);
    }
}
