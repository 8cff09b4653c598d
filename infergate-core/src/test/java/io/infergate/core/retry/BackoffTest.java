package io.infergate.core.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    private static final long MILLI = 1_000_000L;

    @Test
    void withoutJitterTheDelayDoublesUpToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(25), Duration.ofMillis(250), 2, 0);

        assertThat(IntStream.rangeClosed(1, 6).mapToLong(retry -> backoff.delayNanos(retry, "r") / MILLI))
                .containsExactly(25L, 50L, 100L, 200L, 250L, 250L);
    }

    @Test
    void jitterTakesUpToItsShareOffEachDelay() {
        // given the default: 50 % jitter
        Backoff backoff = Backoff.DEFAULT;

        // when many requests draw their first and fifth delays
        for (int i = 0; i < 1_000; i++) {
            String requestId = "req-" + i;

            // then each lies between half the nominal delay and the nominal delay
            assertThat(backoff.delayNanos(1, requestId)).isBetween(5 * MILLI / 2, 5 * MILLI);
            assertThat(backoff.delayNanos(5, requestId)).isBetween(80 * MILLI / 2, 80 * MILLI);
        }
    }

    @Test
    void theJitterIsAFunctionOfTheRequestIdSoItReplaysButRequestsSpreadOut() {
        Backoff backoff = Backoff.DEFAULT;

        assertThat(backoff.delayNanos(2, "req-7")).isEqualTo(backoff.delayNanos(2, "req-7"));
        Set<Long> delays = new HashSet<>();
        long low = 0;
        for (int i = 0; i < 1_000; i++) {
            long delay = backoff.delayNanos(1, "req-" + i);
            delays.add(delay);
            low += delay < 5 * MILLI * 3 / 4 ? 1 : 0;
        }
        assertThat(delays).hasSizeGreaterThan(990);
        assertThat(low).as("about half below the middle of the range").isBetween(430L, 570L);
    }

    @Test
    void settingsOutOfRangeAreRejected() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofMillis(1), 2, 0))
                .hasMessage("base: PT0S (expected: > 0)");
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(10), Duration.ofMillis(1), 2, 0))
                .hasMessage("max: PT0.001S (expected: >= base, PT0.01S)");
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 0.5, 0))
                .hasMessage("multiplier: 0.5 (expected: a finite number >= 1)");
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 2, 2))
                .hasMessage("jitter: 2.0 (expected: 0-1)");
        assertThatThrownBy(() -> Backoff.DEFAULT.delayNanos(0, "r"))
                .hasMessage("retry: 0 (expected: >= 1)");
    }
}
