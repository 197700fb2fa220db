package dev.aml.maintenance;

import dev.aml.core.BackupException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Records backup requests; can be told to fail. */
final class FakeBackups implements Backups {
    final List<String> descriptions = new ArrayList<>();
    boolean fail;
    /** Runs inside createFull, e.g. to check the store is still untouched. */
    Runnable during = () -> { };

    @Override
    public BackupInfo createFull(String description) {
        during.run();
        if (fail) {
            throw new BackupException("disk full while writing full_20260601_120000");
        }
        descriptions.add(description);
        String id = "full_20260601_12000" + descriptions.size();
        return new BackupInfo(id, BackupType.FULL, Instant.parse("2026-06-01T12:00:00Z"), null, description,
                List.of(), 0, 0, Path.of("/tmp/none"), true);
    }

    @Override
    public List<BackupInfo> list() {
        return List.of();
    }
}
