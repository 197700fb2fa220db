package dev.aml.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.InvalidInputException;
import dev.aml.core.MemoryStore;
import dev.aml.core.MemoryStoreProvider;
import dev.aml.core.StoreOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreProvidersTest {

    /** A provider for {@code test:} locations that opens in-memory stores. */
    private record Fake(String name, String prefix) implements MemoryStoreProvider {
        @Override
        public String locations() {
            return prefix + "…";
        }

        @Override
        public boolean accepts(String location) {
            return location.startsWith(prefix);
        }

        @Override
        public Optional<String> rejection(String location) {
            return location.startsWith("t") ? Optional.of("Not a " + prefix + " location.") : Optional.empty();
        }

        @Override
        public MemoryStore open(String location, StoreOptions options) {
            return MemoryStore.inMemory();
        }
    }

    @Test
    void theInMemoryProviderIsFoundByServiceLoaderAndOpensAnEmptyStoreEachTime() {
        assertThat(StoreProviders.all()).extracting(MemoryStoreProvider::name).contains("memory");
        try (MemoryStore a = MemoryStore.open("memory:"); MemoryStore b = MemoryStore.open("memory:x")) {
            assertThat(a).isInstanceOf(InMemoryMemoryStore.class).isNotSameAs(b);
            assertThat(a.agents()).isEmpty();
        }
    }

    @Test
    void theInMemoryProviderRefusesOptionsItCannotHonour() {
        assertThatThrownBy(() -> MemoryStore.open("memory:", StoreOptions.builder().readOnly(true).build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("memory:")
                .hasMessageContaining("readOnly=true");
    }

    @Test
    void anUnknownLocationNamesEveryProviderFoundAndTheirReasonsWithoutCredentials() {
        List<MemoryStoreProvider> providers = List.of(new Fake("alpha", "a:"), new Fake("tau", "t:"));

        assertThatThrownBy(() -> StoreProviders.providerFor("tx://u:secret@h/db?password=pw", providers))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Not a t: location.")
                .hasMessageContaining("'tx://h/db'")
                .hasMessageContaining("alpha (a:…, " + Fake.class.getName() + ")")
                .hasMessageContaining("tau (t:…")
                .hasMessageNotContaining("secret").hasMessageNotContaining("pw");
        assertThatThrownBy(() -> StoreProviders.providerFor("x:", List.of()))
                .hasMessageContaining("Providers found: none");
    }

    @Test
    void twoProvidersAcceptingOneLocationIsAnErrorNamingBoth() {
        List<MemoryStoreProvider> providers = List.of(new Fake("one", "s:"), new Fake("two", "s:"));

        assertThatThrownBy(() -> StoreProviders.providerFor("s:db", providers))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Several")
                .hasMessageContaining("one (").hasMessageContaining("two (");
        assertThat(StoreProviders.providerFor("a:db", List.of(new Fake("one", "s:"), new Fake("alpha", "a:"))).name())
                .isEqualTo("alpha");
    }

    @Test
    void aDirectoryIsItsPathUnlessThePathReadsAsAScheme() {
        assertThat(StoreProviders.location(Path.of("tree/.loom/memory"))).isEqualTo("tree/.loom/memory");
        assertThat(StoreProviders.location(Path.of("C:"))).isEqualTo("C:");
        assertThat(StoreProviders.location(Path.of("memory:x"))).startsWith("file:/").endsWith("/memory:x");
    }

    @Test
    void optionsHideEveryPasswordWhenShown() {
        StoreOptions options = StoreOptions.builder().setting("user", "u").setting("password", "s3cret").build();

        assertThat(options.toString()).contains("user=u").contains("password=***").doesNotContain("s3cret");
        assertThat(options.setting("password")).contains("s3cret");
        assertThatThrownBy(() -> StoreOptions.builder().setting("user", "a").setting("user", "b"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("setting user was already set to a");
    }
}
