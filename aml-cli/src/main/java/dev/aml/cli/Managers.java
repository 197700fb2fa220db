package dev.aml.cli;

import dev.aml.core.AmlException;
import dev.aml.maintenance.MemoryManager;
import java.nio.file.Path;

/** The one place the CLI opens a memory tree, so every command opens it the same way. */
final class Managers {

    private Managers() {
    }

    /**
     * @param root an existing memory root
     * @return a manager on the file store of that tree
     */
    static MemoryManager open(Path root) {
        // Interim until the file store (issue 4) lands on main: then this becomes
        // MemoryManager.builder().store(FileMemoryStore.open(root)).build().
        throw new AmlException("cannot open " + root + ": this build has no file store yet");
    }
}
