package dev.aml.core.internal;

import dev.aml.core.MemoryStore;
import dev.aml.core.contract.MemoryStoreContract;

class InMemoryMemoryStoreTest extends MemoryStoreContract {
    @Override
    protected MemoryStore newStore() {
        return MemoryStore.inMemory();
    }
}
