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
        DIR_FSYNC,
        /** the directory fsync, failing with an unchecked exception (a bug, not an I/O error) */
        DIR_FSYNC_UNCHECKED
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

    /**
     * Logs one call ("STEP path", "+ FAILED" if it fails) and says which of the steps that can fail
     * in it is armed for this path, if any.
     */
    private synchronized @Nullable Step call(String name, Path path, Step... candidates) {
        Step failing = null;
        Fault f = fault;
        for (Step step : candidates) {
            if (f != null && f.step == step && f.where.test(path)) {
                failing = step;
                if (f.times != Integer.MAX_VALUE) {
                    fault = f.times > 1 ? new Fault(step, f.where, f.times - 1) : null;
                }
            }
        }
        log.add(name + " " + path + (failing != null ? " FAILED" : ""));
        return failing;
    }

    static Predicate<Path> named(String fileOrDirName) {
        return p -> p.getFileName().toString().equals(fileOrDirName)
                || p.getFileName().toString().startsWith("." + fileOrDirName + ".");
    }

    @Override
    public void writeDurably(Path tmp, byte[] data) throws IOException {
        if (call("WRITE", tmp, Step.WRITE) != null) {
            Files.write(tmp, java.util.Arrays.copyOf(data, data.length / 2));
            throw new IOException("injected: no space left on device writing " + tmp);
        }
        SYSTEM.writeDurably(tmp, data);
    }

    @Override
    public void move(Path tmp, Path target) throws IOException {
        Step failing = call("RENAME", target, Step.RENAME, Step.RENAME_THEN_FAIL);
        if (failing == Step.RENAME) {
            throw new IOException("injected: rename of " + tmp + " to " + target + " failed");
        }
        SYSTEM.move(tmp, target);
        if (failing == Step.RENAME_THEN_FAIL) {
            throw new IOException("injected: error reported after renaming " + tmp + " to " + target);
        }
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        Step failing = call("DIR_FSYNC", dir, Step.DIR_FSYNC, Step.DIR_FSYNC_UNCHECKED);
        if (failing == Step.DIR_FSYNC) {
            throw new IOException("injected: fsync of directory " + dir + " failed");
        }
        if (failing == Step.DIR_FSYNC_UNCHECKED) {
            throw new IllegalStateException("injected: unexpected failure in the fsync of directory " + dir);
        }
        SYSTEM.fsyncDirectory(dir);
    }
}
