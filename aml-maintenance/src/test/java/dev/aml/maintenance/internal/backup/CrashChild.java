package dev.aml.maintenance.internal.backup;

import dev.aml.core.MemoryStore;
import dev.aml.maintenance.BackupConfig;
import dev.aml.maintenance.ProgressListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The process {@link BackupCrashTest} kills. After every file it prints {@code STEP <phase> <n>} and
 * waits for a line on stdin, so the parent decides exactly where the kill lands.
 * Usage: {@code backup <memoryRoot>}, {@code restore <memoryRoot> <backupId> <target>} or
 * {@code inplace <memoryRoot> <backupId>} (through the file store, as the CLI does).
 */
public final class CrashChild {

    private CrashChild() {
    }

    /**
     * @param args see the class description
     */
    public static void main(String[] args) {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        ProgressListener step = (phase, done, total, detail) -> {
            System.out.println("STEP " + phase + " " + done);
            System.out.flush();
            try {
                in.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        if (args[0].equals("inplace")) {
            try (dev.aml.maintenance.MemoryManager aml = dev.aml.maintenance.MemoryManager.open(Path.of(args[1]))) {
                aml.backups(BackupConfig.defaults(), step).restore(args[2], Path.of(args[1]));
            }
            System.out.println("DONE");
            System.out.flush();
            return;
        }
        BackupEngine engine = new BackupEngine(MemoryStore.inMemory(), Path.of(args[1]), BackupConfig.defaults(),
                Clock.systemUTC(), step);
        if (args[0].equals("backup")) {
            engine.createFull("crash test");
        } else {
            engine.restore(args[2], Path.of(args[3]));
        }
        System.out.println("DONE");
        System.out.flush();
    }
}
