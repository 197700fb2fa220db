package dev.aml.maintenance.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IdGeneratorTest {

    private static final Instant T = Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void uniqueAndVersion7EvenWhenTheClockStandsStill() {
        IdGenerator ids = new IdGenerator(Clock.fixed(T, ZoneOffset.UTC));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            String id = ids.next();
            UUID u = UUID.fromString(id);
            assertThat(u.version()).isEqualTo(7);
            assertThat(u.variant()).isEqualTo(2);
            assertThat(seen.add(id)).isTrue();
        }
    }

    @Test
    void uniqueAcrossThreadsAndLedByTheClock() {
        IdGenerator ids = new IdGenerator(Clock.fixed(T, ZoneOffset.UTC));
        Set<String> seen = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 40_000).parallel().forEach(i -> seen.add(ids.next()));
        assertThat(seen).hasSize(40_000);
        String first = new IdGenerator(Clock.fixed(T, ZoneOffset.UTC)).next();
        assertThat(Long.parseLong(first.substring(0, 8) + first.substring(9, 13), 16)).isEqualTo(T.toEpochMilli());
    }

    @Test
    void aClockThatStepsBackNeverRepeatsAnId() {
        IdGenerator later = new IdGenerator(new Clock() {
            private int calls;

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return T.minusSeconds(calls++ % 2 == 0 ? 0 : 10);
            }
        });
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            assertThat(seen.add(later.next())).isTrue();
        }
    }
}
