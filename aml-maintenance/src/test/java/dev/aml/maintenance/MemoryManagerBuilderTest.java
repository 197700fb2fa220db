package dev.aml.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.Durability;
import dev.aml.core.IndexStrategy;
import dev.aml.core.MemoryStore;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class MemoryManagerBuilderTest {

    @Test
    void defaultsAreInMemoryWithTheDefaultIndexAndCache() {
        try (MemoryManager aml = MemoryManager.builder().build()) {
            assertThat(aml.store().describe()).isEqualTo("in-memory store");
            assertThat(aml.root()).isEmpty();
            assertThat(aml.indexStrategy()).isSameAs(IndexStrategy.defaultIndex());
            assertThat(aml.cacheStats().maximumSize()).isEqualTo(MemoryManager.DEFAULT_CACHE_SIZE);
            assertThat(aml.learningRate()).isEqualTo(0.1);
        }
    }

    @Test
    void eachOptionOnceNamingTheOldValue() {
        assertThatThrownBy(() -> MemoryManager.builder().cacheSize(5).cacheSize(6))
                .isInstanceOf(IllegalStateException.class).hasMessage("cacheSize was already set to 5");
        assertThatThrownBy(() -> MemoryManager.builder().indexStrategy(IndexStrategy.scan())
                .indexStrategy(IndexStrategy.scan())).hasMessageContaining("IndexStrategy.scan()");
        assertThatThrownBy(() -> MemoryManager.builder().store(MemoryStore.inMemory()).store(MemoryStore.inMemory()))
                .hasMessageContaining("in-memory store");
        assertThatThrownBy(() -> MemoryManager.builder().clock(Clock.systemUTC()).clock(Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> MemoryManager.builder().learningRate(0.2).learningRate(0.3))
                .hasMessageContaining("0.2");
    }

    @Test
    void contradictionsAndBadValuesFailAtBuild() {
        assertThatThrownBy(() -> MemoryManager.builder().memoryRoot(Path.of("m")).store(MemoryStore.inMemory()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("exclude each other");
        assertThatThrownBy(() -> MemoryManager.builder().store(MemoryStore.inMemory()).durability(Durability.SYNC)
                .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("durability");
        assertThatThrownBy(() -> MemoryManager.builder().cacheSize(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> MemoryManager.builder().learningRate(1.5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("learningRate");
    }

    @Test
    void aGivenStoreIsUsedAndClosedWithTheManager() {
        MemoryStore store = MemoryStore.inMemory();
        try (MemoryManager aml = MemoryManager.builder().store(store).cacheSize(0).build()) {
            assertThat(aml.store()).isSameAs(store);
            assertThat(aml.cacheStats().maximumSize()).isZero();
        }
        assertThatThrownBy(store::agents).isInstanceOf(IllegalStateException.class);
    }
}
