package io.infergate.core.time;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlidingCountsTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void sumsCoverTheWindowAndForgetWhatSlidOut() {
        // given a 10 s window: 1 at 0 s, 2 at 5 s, 4 at 9.9 s on counter 0; 7 on counter 1
        SlidingCounts counts = new SlidingCounts(Duration.ofSeconds(10), 2);
        counts.add(0, 1, 0);
        counts.add(0, 2, 5 * SECOND);
        counts.add(0, 4, 9_900_000_000L);
        counts.add(1, 7, 5 * SECOND);

        // then
        assertThat(counts.sum(0, 9_900_000_000L)).isEqualTo(7);
        assertThat(counts.sum(1, 9_900_000_000L)).isEqualTo(7);
        assertThat(counts.sum(0, 10 * SECOND)).as("the bucket of 0 s slid out").isEqualTo(6);
        assertThat(counts.sum(0, 15 * SECOND)).as("so did the one of 5 s").isEqualTo(4);
        assertThat(counts.sum(0, 30 * SECOND)).isZero();
    }

    @Test
    void aBucketReusedForALaterPeriodStartsFromZero() {
        SlidingCounts counts = new SlidingCounts(Duration.ofSeconds(10), 1);
        counts.add(0, 5, -3 * SECOND); // ticker origins are arbitrary: negative times work too
        counts.add(0, 1, 7 * SECOND);  // same bucket, ten seconds on

        assertThat(counts.sum(0, 7 * SECOND)).isEqualTo(1);
        counts.clear();
        assertThat(counts.sum(0, 7 * SECOND)).isZero();
    }

    @Test
    void argumentsOutOfRangeAreRejected() {
        assertThatThrownBy(() -> new SlidingCounts(Duration.ofNanos(5), 1)).hasMessage("window: PT0.000000005S (expected: >= 10 ns)");
        assertThatThrownBy(() -> new SlidingCounts(Duration.ofSeconds(1), 0)).hasMessage("counters: 0 (expected: >= 1)");
    }
}
