package dev.aml.store;

import dev.aml.core.Durability;
import dev.aml.core.MemoryStore;
import dev.aml.core.contract.MemoryStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The file store keeps the SPI's promises, including across a close and reopen. */
class FileMemoryStoreContractTest extends MemoryStoreContract {

    @TempDir
    Path dir;

    @Override
    protected MemoryStore newStore() {
        return FileMemoryStore.builder(dir.resolve("memory")).durability(Durability.BATCH).open();
    }

    @Override
    protected MemoryStore reopen(MemoryStore store) {
        store.close();
        return FileMemoryStore.open(dir.resolve("memory"));
    }

    @Override
    protected boolean durable() {
        return true;
    }
}
