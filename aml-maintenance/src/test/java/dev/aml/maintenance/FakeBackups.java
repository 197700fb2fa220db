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
                List.of(), 0, 0, Path.of("/tmp/none"), true, "gzip", true);
    }

    @Override
    public BackupInfo createFull(String description, dev.aml.core.MaintenanceLock held) {
        return createFull(description);
    }

    @Override
    public List<BackupInfo> list() {
        return List.of();
    }

    // The operations below are not used by pruning.

    @Override
    public BackupInfo createIncremental(String description) {
        throw new UnsupportedOperationException("not used by the prune tests");
    }

    @Override
    public AutoBackupReport auto() {
        throw new UnsupportedOperationException("not used by the prune tests");
    }

    @Override
    public java.util.Optional<BackupInfo> find(String id) {
        return java.util.Optional.empty();
    }

    @Override
    public VerifyReport verify(String id, boolean drill) {
        throw new UnsupportedOperationException("not used by the prune tests");
    }

    @Override
    public RestoreReport restore(String id, Path target) {
        throw new UnsupportedOperationException("not used by the prune tests");
    }

    @Override
    public RestoreReport restoreAt(Instant instant, Path target) {
        throw new UnsupportedOperationException("not used by the prune tests");
    }

    @Override
    public RestoreReport restoreInPlace(String id) {
        throw new UnsupportedOperationException("not used by the prune tests");
    }

    @Override
    public RestoreReport restoreInPlaceAt(Instant instant) {
        throw new UnsupportedOperationException("not used by the prune tests");
    }

    @Override
    public RotationReport rotate(boolean dryRun) {
        throw new UnsupportedOperationException("not used by the prune tests");
    }

    @Override
    public void delete(String id) {
        throw new UnsupportedOperationException("not used by the prune tests");
    }

    @Override
    public List<BackupInfo> reindex() {
        throw new UnsupportedOperationException("not used by the prune tests");
    }

    @Override
    public Path root() {
        return Path.of("/tmp/none");
    }
}
