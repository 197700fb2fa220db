package dev.aml.maintenance.internal.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The reference's test vectors (LOOM-FORMAT.md §5.2). */
class BloomFilterTest {

    @Test
    void sizesMatchTheReference() {
        assertThat(new BloomFilter(100, 0.01).size()).isEqualTo(958);
        assertThat(new BloomFilter(1000, 0.01).size()).isEqualTo(9585);
        assertThat(new BloomFilter(10_000, 0.01).size()).isEqualTo(95_850);
        assertThat(new BloomFilter(50_000, 0.01).size()).isEqualTo(479_252);
        assertThat(new BloomFilter(50_000, 0.01).hashCount()).isEqualTo(6);
        assertThat(new BloomFilter(100, 0.01).hashCount()).isEqualTo(6);
    }

    @Test
    void positionsMatchTheReferenceVectors() {
        assertThat(new BloomFilter(50_000, 0.01).positions("p1"))
                .containsExactly(308248, 159711, 464573, 262916, 151781, 58975);
        assertThat(new BloomFilter(1000, 0.01).positions("pattern-1"))
                .containsExactly(476, 5521, 3723, 2888, 6539, 3104);
        assertThat(new BloomFilter(1000, 0.01).positions("pattern-999"))
                .containsExactly(717, 6048, 4728, 340, 6992, 8153);
    }

    @Test
    void membershipAndTheBinaryLayoutRoundTrip() {
        BloomFilter f = new BloomFilter(1000, 0.01);
        f.add("pattern-1");
        f.add("pattern-2");
        f.add("pattern-3");
        assertThat(f.mightContain("pattern-2")).isTrue();
        assertThat(f.mightContain("pattern-999")).isFalse();
        byte[] bytes = f.toBytes();
        assertThat(bytes).hasSize(40 + (9585 + 7) / 8);
        assertThat(new String(bytes, 0, 8, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("AMLBLOOM");
        BloomFilter back = BloomFilter.fromBytes(bytes);
        assertThat(back.mightContain("pattern-1")).isTrue();
        assertThat(back.mightContain("pattern-999")).isFalse();
        assertThat(back.toBytes()).isEqualTo(bytes);
        bytes[8 + 3] = 2;
        assertThatThrownBy(() -> BloomFilter.fromBytes(bytes)).hasMessageContaining("version 2");
        assertThatThrownBy(() -> BloomFilter.fromBytes(new byte[] {1, 2, 3})).hasMessageContaining("bad magic");
    }
}
