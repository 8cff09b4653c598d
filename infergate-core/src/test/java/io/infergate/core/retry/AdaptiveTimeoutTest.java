package io.infergate.core.retry;

import io.infergate.core.request.RoutingRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AdaptiveTimeoutTest {

    private static final long MS = 1_000_000;
    private static final long S = 1_000 * MS;

    private final AdaptiveTimeout timeout = AdaptiveTimeout.builder().build();
    /** The fake clock; starts far from 0 to catch arithmetic that assumes a zero origin. */
    private long now = -7 * S;

    @Test
    void untilEnoughFirstBytesAreSeenAnAttemptMayWaitTheCap() {
        assertThat(timeout.timeoutNanos(now)).isEqualTo(60 * S);

        recordEvery10Ms(99, 2 * S);
        now += 2 * S;

        assertThat(timeout.timeoutNanos(now)).as("99 samples, 100 needed").isEqualTo(60 * S);
    }

    @Test
    void thePercentileItselfIsKnownOnlyOnceEnoughFirstBytesAreSeen() {
        recordEvery10Ms(99, 200 * MS);
        assertThat(timeout.percentileNanos(now)).isEqualTo(-1);

        recordEvery10Ms(1, 200 * MS);
        now += 2 * S;

        assertThat(timeout.percentileNanos(now)).isCloseTo(200 * MS, within(2 * MS));
    }

    @Test
    void aPoolAnsweringWithinSecondsGetsFourTimesItsP99() {
        // given first bytes of 2 s for 98 % of requests and 3 s for the rest
        recordEvery10Ms(196, 2 * S);
        recordEvery10Ms(4, 3 * S);

        // then 4 × 3 s (HdrHistogram's two significant digits)
        assertThat(timeout.timeoutNanos(now)).isCloseTo(12 * S, within(12 * S / 100));
    }

    @Test
    void aFastPoolGetsTheFloorAndASlowOneTheCap() {
        AdaptiveTimeout fast = AdaptiveTimeout.builder().build();
        AdaptiveTimeout slow = AdaptiveTimeout.builder().build();
        for (int i = 0; i < 200; i++) {
            fast.record(100 * MS, now + i * MS);
            slow.record(30 * S, now + i * MS);
        }

        assertThat(fast.timeoutNanos(now + S)).as("4 × 100 ms is under the 5 s floor").isEqualTo(5 * S);
        assertThat(slow.timeoutNanos(now + S)).as("4 × 30 s is over the 60 s cap").isEqualTo(60 * S);
    }

    @Test
    void itFollowsThePoolWithinAWindowAndRecomputesAtMostOncePerRefresh() {
        // given a pool that answered in 3 s for a while
        recordEvery10Ms(200, 3 * S);
        assertThat(timeout.timeoutNanos(now)).isCloseTo(12 * S, within(S / 5));

        // when it answers in 1.5 s from now on: the old samples still count for up to a minute
        now += 30 * S;
        recordEvery10Ms(200, 1500 * MS);
        assertThat(timeout.timeoutNanos(now)).isCloseTo(12 * S, within(S / 5));

        // then, once the old samples have left the window, the timeout follows (after the 1 s refresh)
        now += 35 * S;
        recordEvery10Ms(200, 1500 * MS);
        long sameSecond = timeout.timeoutNanos(now);
        assertThat(sameSecond).isCloseTo(6 * S, within(S / 10));
        recordEvery10Ms(1, 20 * S);
        assertThat(timeout.timeoutNanos(now)).as("cached within the refresh").isEqualTo(sameSecond);
    }

    @Test
    void aQuietPoolFallsBackToTheCapOnceItsSamplesAreOld() {
        recordEvery10Ms(200, S);
        assertThat(timeout.timeoutNanos(now)).isEqualTo(5 * S);

        now += 61 * S;

        assertThat(timeout.timeoutNanos(now)).isEqualTo(60 * S);
    }

    @Test
    void streamedAndNonStreamedRequestsOfEachOutputSizeAreMeasuredApart() {
        FirstByteTimeouts timeouts = new FirstByteTimeouts(() -> AdaptiveTimeout.builder().build());
        RoutingRequest streamed = request(true, 2048);
        RoutingRequest shortAnswer = request(false, 100);
        RoutingRequest longAnswer = request(false, 2048);

        for (int i = 0; i < 200; i++) {
            timeouts.record("chat", streamed, 200 * MS, now);
            timeouts.record("chat", longAnswer, 10 * S, now);
        }

        assertThat(timeouts.timeoutNanos("chat", streamed, now)).isEqualTo(5 * S);
        assertThat(timeouts.timeoutNanos("chat", longAnswer, now)).isCloseTo(40 * S, within(S / 2));
        assertThat(timeouts.timeoutNanos("chat", shortAnswer, now)).as("no samples of its shape").isEqualTo(60 * S);
        assertThat(timeouts.timeoutNanos("other", streamed, now)).as("another pool").isEqualTo(60 * S);
        assertThat(FirstByteTimeouts.shapeOf(request(false, -1))).isEqualTo(FirstByteTimeouts.shapeOf(request(false, 100_000)));
        assertThat(timeouts.timeoutNanos("chat", "stream", now)).isEqualTo(5 * S);
        assertThat(timeouts.timeoutNanos("chat", "max_tokens_4096", now)).isCloseTo(40 * S, within(S / 2));
        assertThat(timeouts.timeoutNanos("chat", "max_tokens_256", now)).isEqualTo(60 * S);
        assertThatThrownBy(() -> timeouts.timeoutNanos("chat", "huge", now)).hasMessageStartingWith("shape: 'huge'");
    }

    @Test
    void settingsOutOfRangeAreRejected() {
        assertThatThrownBy(() -> AdaptiveTimeout.builder().multiplier(0.5)).hasMessage("multiplier: 0.5 (expected: >= 1)");
        assertThatThrownBy(() -> AdaptiveTimeout.builder().bounds(Duration.ofSeconds(10), Duration.ofSeconds(5)))
                .hasMessage("floor: PT10S, cap: PT5S (expected: floor <= cap)");
        assertThatThrownBy(() -> AdaptiveTimeout.builder().percentile(0)).hasMessage("percentile: 0.0 (expected: > 0 and <= 100)");
    }

    private void recordEvery10Ms(int count, long firstByteNanos) {
        for (int i = 0; i < count; i++) {
            now += 10 * MS;
            timeout.record(firstByteNanos, now);
        }
    }

    private static RoutingRequest request(boolean stream, int maxTokens) {
        return new RoutingRequest("r", "m", 100, maxTokens, stream, "standard", "", "", RoutingRequest.NO_PREFIX);
    }
}
