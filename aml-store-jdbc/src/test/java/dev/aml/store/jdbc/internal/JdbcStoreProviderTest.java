package dev.aml.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aml.core.Durability;
import dev.aml.core.InvalidInputException;
import dev.aml.core.MemoryStore;
import dev.aml.core.StoreOptions;
import org.junit.jupiter.api.Test;

class JdbcStoreProviderTest {

    private final JdbcStoreProvider provider = new JdbcStoreProvider();

    @Test
    void acceptsPostgresqlUrlsOnlyAndSaysSoForOtherDatabases() {
        assertThat(provider.accepts("jdbc:postgresql://h:5432/db")).isTrue();
        assertThat(provider.accepts("jdbc:mysql://h/db")).isFalse();
        assertThat(provider.accepts("/srv/memory")).isFalse();
        assertThat(provider.rejection("/srv/memory")).isEmpty();

        assertThatThrownBy(() -> MemoryStore.open("jdbc:mysql://db.example/fleet?password=pw"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Not a PostgreSQL JDBC URL: 'jdbc:mysql://db.example/fleet'")
                .hasMessageContaining("jdbc:postgresql://host:port/database")
                .hasMessageNotContaining("pw");
    }

    @Test
    void refusesWhatThePostgresqlStoreCannotHonourBeforeConnecting() {
        assertThatThrownBy(() -> MemoryStore.open("jdbc:postgresql://127.0.0.1:1/db",
                StoreOptions.builder().durability(Durability.SYNC).setting("codec", "gzip").build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("[codec]")
                .hasMessageContaining("durability");
    }
}
