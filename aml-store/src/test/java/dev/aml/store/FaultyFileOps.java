package dev.aml.store;

import dev.aml.store.internal.FileOps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** The real file system, except for the steps a test arms to fail; logs every step it sees. */
final class FaultyFileOps implements FileOps {

    /** A step of a durable replacement. */
    enum Step {
        /** writing the temp file; a failure leaves half of it behind, as a full disk would */
        WRITE,
        /** the rename; a failure leaves the target as it was */
        RENAME,
        /** the rename happens, then an error is reported (as for an I/O error right after it) */
        RENAME_THEN_FAIL,
        /** the directory fsync */
        DIR_FSYNC
    }

    private record Fault(Step step, Predicate<Path> where, int times) {
    }

    private @Nullable Fault fault;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    /**
     * Makes a step fail on paths matching {@code where}, {@code times} times ({@link Integer#MAX_VALUE}:
     * until {@link #disarm()}).
     */
    synchronized void arm(Step step, Predicate<Path> where, int times) {
        fault = new Fault(step, where, times);
    }

    synchronized void disarm() {
        fault = null;
    }

    /** @return the steps seen, as "STEP path" (failed ones as "STEP path FAILED") */
    List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    private synchronized boolean fails(Step step, Path path) {
        Fault f = fault;
        boolean fail = f != null && f.step == step && f.where.test(path);
        if (fail && f.times != Integer.MAX_VALUE) {
            fault = f.times > 1 ? new Fault(step, f.where, f.times - 1) : null;
        }
        log.add(step + " " + path + (fail ? " FAILED" : ""));
        return fail;
    }

    static Predicate<Path> named(String fileOrDirName) {
        return p -> p.getFileName().toString().equals(fileOrDirName)
                || p.getFileName().toString().startsWith("." + fileOrDirName + ".");
    }

    @Override
    public void writeDurably(Path tmp, byte[] data) throws IOException {
        if (fails(Step.WRITE, tmp)) {
            Files.write(tmp, java.util.Arrays.copyOf(data, data.length / 2));
            throw new IOException("injected: no space left on device writing " + tmp);
        }
        SYSTEM.writeDurably(tmp, data);
    }

    @Override
    public void move(Path tmp, Path target) throws IOException {
        if (fails(Step.RENAME, target)) {
            throw new IOException("injected: rename of " + tmp + " to " + target + " failed");
        }
        SYSTEM.move(tmp, target);
        if (fails(Step.RENAME_THEN_FAIL, target)) {
            throw new IOException("injected: error reported after renaming " + tmp + " to " + target);
        }
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        if (fails(Step.DIR_FSYNC, dir)) {
            throw new IOException("injected: fsync of directory " + dir + " failed");
        }
        SYSTEM.fsyncDirectory(dir);
    }
}
