package dev.aml.loom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {

    @TempDir
    Path dir;

    @Test
    void writeCreatesThenReplacesTheFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("patterns.json");

        DurableFiles.write(file, bytes("[1]"));
        DurableFiles.write(file, bytes("[2]"));

        assertThat(Files.readString(file)).isEqualTo("[2]");
        assertThat(names()).containsExactly("patterns.json");
    }

    @Test
    void newFilesAreOwnerOnlyOnPosix() throws IOException {
        assumeThat(DurableFiles.posix()).isTrue();
        Path file = dir.resolve("health.json");

        DurableFiles.write(file, bytes("{}"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aFailedRenameLeavesTheTargetUnchangedAndDeletesTheTemporaryFile() throws IOException {
        Path target = Files.createDirectory(dir.resolve("taken"));
        Files.writeString(target.resolve("inside"), "keep"); // a non-empty directory cannot be replaced by a rename

        assertThatThrownBy(() -> DurableFiles.write(target, dir.resolve(".taken.aml-tmp"), bytes("new")))
                .isInstanceOf(IOException.class);

        assertThat(target).isDirectory();
        assertThat(Files.readString(target.resolve("inside"))).isEqualTo("keep");
        assertThat(names()).containsExactly("taken");
    }

    @Test
    void aStaleTemporaryFileOfTheCallerIsReplaced() throws IOException {
        Path tmp = dir.resolve(".patterns.json.aml-tmp");
        Files.writeString(tmp, "half-written by a crash");

        DurableFiles.write(dir.resolve("patterns.json"), tmp, bytes("[]"));

        assertThat(Files.readString(dir.resolve("patterns.json"))).isEqualTo("[]");
        assertThat(tmp).doesNotExist();
    }

    @Test
    void writeNewNeverOverwrites() throws IOException {
        Path file = Files.writeString(dir.resolve("manifest.json"), "old");

        assertThatThrownBy(() -> DurableFiles.writeNew(file, bytes("new"))).isInstanceOf(FileAlreadyExistsException.class);

        assertThat(Files.readString(file)).isEqualTo("old");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private java.util.List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
