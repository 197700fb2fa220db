package dev.aml.maintenance.internal.backup;

import dev.aml.core.BackupException;
import dev.aml.core.MaintenanceLock;
import dev.aml.maintenance.AutoBackupReport;
import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.BackupInfo;
import dev.aml.maintenance.BackupType;
import dev.aml.maintenance.RotationReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Rotation, deletion and the automatic backup: which backups to keep, removing a backup folder safely, and choosing full or incremental. Part of {@link BackupEngine}, which owns the shared state and catalog. */
final class BackupRotation {

    private final BackupEngine engine;
    private final BackupConfig config;
    private final Clock clock;

    BackupRotation(BackupEngine engine) {
        this.engine = engine;
        this.config = engine.config;
        this.clock = engine.clock;
    }

    RotationReport rotate(boolean dryRun) {
        return locked("backup rotate", lock -> rotateLocked(dryRun));
    }

    RotationReport rotateLocked(boolean dryRun) {
        Catalog cat = catalog(true);
        List<RotationPlanner.Node> nodes = cat.complete().values().stream()
                .map(m -> new RotationPlanner.Node(m.id(), m.type(), m.startedAt(), m.parentId(), m.verified()))
                .toList();
        RotationPlanner.Plan plan = RotationPlanner.plan(nodes, clock.instant(),
                RotationPlanner.Policy.of(config, clock.getZone()));
        if (!dryRun) {
            for (String id : plan.delete()) {
                removeFolder(id);
            }
            saveRegistry(catalog(true));
            cleanLeftovers();
        }
        List<String> deletedOldestFirst = new ArrayList<>(plan.delete());
        java.util.Collections.reverse(deletedOldestFirst);
        return new RotationReport(dryRun, deletedOldestFirst, plan.keep(), plan.keptBecause(),
                List.copyOf(cat.incomplete().keySet()), plan.decisions());
    }

    void delete(String id) {
        locked("backup delete", lock -> {
            Catalog cat = catalog(true);
            if (cat.incomplete().containsKey(id)) {
                removeFolder(id);
                return null;
            }
            if (!cat.complete().containsKey(id)) {
                throw notFound(id);
            }
            List<String> dependents = cat.dependents(id);
            if (!dependents.isEmpty()) {
                throw new BackupException("Cannot delete backup " + id + ": " + String.join(", ", dependents)
                        + (dependents.size() == 1 ? " depends" : " depend") + " on it. Delete "
                        + (dependents.size() == 1 ? "that backup" : "those backups") + " first, or let 'backup rotate'"
                        + " decide.");
            }
            removeFolder(id);
            saveRegistry(catalog(true));
            return null;
        });
    }

    AutoBackupReport auto() {
        return locked("backup auto", lock -> {
            Catalog cat = catalog(true);
            Instant now = clock.instant();
            BackupType type;
            String reason;
            Optional<Manifest> full = cat.newestFull();
            Optional<Manifest> newest = cat.newest();
            if (!config.incrementalEnabled()) {
                type = BackupType.FULL;
                reason = "incremental backups are disabled";
            } else if (full.isEmpty()) {
                type = BackupType.FULL;
                reason = "no full backup yet";
            } else if (Duration.between(full.get().startedAt(), now).compareTo(config.fullBackupMaxAge()) > 0) {
                type = BackupType.FULL;
                reason = "the newest full backup " + full.get().id() + " is older than " + config.fullBackupMaxAge()
                        .toDays() + " days";
            } else if (newest.isPresent() && cat.chain(newest.get()).size() - 1 >= config.maxChainLength()) {
                type = BackupType.FULL;
                reason = "the chain of " + newest.get().id() + " already has " + (cat.chain(newest.get()).size() - 1)
                        + " incremental backups (limit " + config.maxChainLength() + ")";
            } else {
                type = BackupType.INCREMENTAL;
                reason = "only files changed since " + newest.map(Manifest::id).orElse("?");
            }
            BackupInfo info = create(type, "Automatic backup");
            return new AutoBackupReport(info, reason, rotateLocked(false));
        });
    }

    // ---------------------------------------------------------- shared with the other parts of the engine

    private Catalog catalog(boolean strictRegistry) {
        return engine.catalog(strictRegistry);
    }

    private void cleanLeftovers() {
        engine.cleanLeftovers();
    }

    private BackupInfo create(BackupType requested, String description) {
        return engine.writer().create(requested, description);
    }

    private <T> T locked(String operation, java.util.function.Function<MaintenanceLock, T> action) {
        return engine.locked(operation, action);
    }

    private BackupException notFound(String id) {
        return engine.notFound(id);
    }

    private void removeFolder(String id) {
        engine.removeFolder(id);
    }

    private void saveRegistry(Catalog cat) {
        engine.saveRegistry(cat);
    }
}
