package io.infergate.gateway.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SuggestionsTest {

    private static final List<String> KEYS = List.of("url", "id", "region", "zone", "price_per_hour", "replica_size");

    @Test
    void typosSuggestTheClosestKey() {
        assertThat(Suggestions.closest("regoin", KEYS)).contains("region");
        assertThat(Suggestions.closest("price-per-hour", KEYS)).contains("price_per_hour");
        assertThat(Suggestions.closest("URL", KEYS)).contains("url");
    }

    @Test
    void unrelatedNamesSuggestNothing() {
        assertThat(Suggestions.closest("colour", KEYS)).isEmpty();
        assertThat(Suggestions.didYouMean("colour", KEYS)).isEmpty();
    }

    @Test
    void anAdjacentSwapIsOneEdit() {
        assertThat(Suggestions.distance("prot", "port")).isEqualTo(1);
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
    }
}
