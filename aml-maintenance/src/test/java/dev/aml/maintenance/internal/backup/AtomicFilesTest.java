package dev.aml.maintenance.internal.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aml.maintenance.internal.io.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @Test
    void replacesContentAndLeavesNoTempFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("patterns.json");
        AtomicFiles.write(file, "[1]".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(file, "[2]".getBytes(StandardCharsets.UTF_8));
        assertThat(file).hasContent("[2]");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void writtenFilesAreReadableByTheOwnerOnly(@TempDir Path dir) throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "POSIX permissions only exist on POSIX file systems");
        Path file = dir.resolve("a/b.json");
        AtomicFiles.write(file, new byte[] {'[', ']'});
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
