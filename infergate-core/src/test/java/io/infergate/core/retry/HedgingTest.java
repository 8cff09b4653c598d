package io.infergate.core.retry;

import io.infergate.core.request.RoutingRequest;
import io.infergate.core.time.FakeTicker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class HedgingTest {

    private static final long MILLI = 1_000_000L;

    private final FakeTicker ticker = new FakeTicker();
    private final LatencyTracker latency = LatencyTracker.builder().interval(Duration.ofSeconds(1)).minSamples(100).build();
    private final HedgingPolicy hedging = HedgingPolicy.builder().priorities(Set.of("critical")).build();
    private final RetryBudget budget = RetryBudget.builder().build();

    @Test
    void theTrackerPublishesItsPercentileOnceAnIntervalHoldsEnoughSamples() {
        // given 100 first-byte latencies of 1..100 ms, recorded within the first second
        latency.record(0, ticker.read()); // starts the first interval
        for (int ms = 1; ms <= 100; ms++) {
            latency.record(ms * MILLI, ticker.read());
        }
        assertThat(latency.percentileNanos(ticker.read())).as("before the interval ends").isEqualTo(-1);

        // when the interval ends
        ticker.advance(Duration.ofSeconds(1));

        // then its 95th percentile is published
        assertThat(latency.percentileNanos(ticker.read())).isCloseTo(95 * MILLI, within(MILLI));
    }

    @Test
    void aQuietIntervalAddsToTheNextInsteadOfPublishingAThinFigure() {
        // given 60 samples of 10 ms in one interval, then 40 of 30 ms in the next
        latency.record(-1, ticker.read());
        for (int i = 0; i < 60; i++) {
            latency.record(10 * MILLI, ticker.read());
        }
        ticker.advance(Duration.ofSeconds(1));
        assertThat(latency.percentileNanos(ticker.read())).as("60 samples are too few").isEqualTo(-1);
        for (int i = 0; i < 40; i++) {
            latency.record(30 * MILLI, ticker.read());
        }

        // when the second interval ends
        ticker.advance(Duration.ofSeconds(1));

        // then the figure covers both
        assertThat(latency.percentileNanos(ticker.read())).isCloseTo(30 * MILLI, within(MILLI));
    }

    @Test
    void criticalRequestsAreHedgedAfterThePoolsP95AndOthersNever() {
        // given a pool whose p95 first-byte latency is about 95 ms
        latency.record(0, ticker.read());
        for (int ms = 1; ms <= 100; ms++) {
            latency.record(ms * MILLI, ticker.read());
        }
        ticker.advance(Duration.ofSeconds(1));

        // then
        assertThat(hedging.hedgeAfterNanos(request("critical"), latency, ticker.read()))
                .isCloseTo(95 * MILLI, within(MILLI));
        assertThat(hedging.hedgeAfterNanos(request("standard"), latency, ticker.read())).isEqualTo(-1);
    }

    @Test
    void noHedgeBeforeThePoolHasALatencyFigureAndNeverSoonerThanTheMinimum() {
        assertThat(hedging.hedgeAfterNanos(request("critical"), latency, ticker.read())).isEqualTo(-1);

        latency.record(0, ticker.read());
        for (int i = 0; i < 100; i++) {
            latency.record(MILLI, ticker.read());
        }
        ticker.advance(Duration.ofSeconds(1));
        assertThat(hedging.hedgeAfterNanos(request("critical"), latency, ticker.read())).isEqualTo(10 * MILLI);
    }

    @Test
    void theFirstAttemptToProduceAFirstByteWinsAndTheOthersAreCancelled() {
        // given a request whose first attempt is slow, hedged once
        HedgedRequest race = hedging.newRace();
        int first = race.start();
        int hedge = race.tryHedge(budget, ticker.read());
        assertThat(List.of(first, hedge)).containsExactly(1, 2);

        // when the hedge produces its first byte
        HedgedRequest.FirstByte hedgeByte = race.firstByte(hedge);

        // then it wins and the first attempt is to be cancelled; if that one answers after all, it lost
        assertThat(hedgeByte).isEqualTo(new HedgedRequest.FirstByte.Won(List.of(1)));
        assertThat(race.winner()).isEqualTo(2);
        assertThat(race.firstByte(first)).isEqualTo(new HedgedRequest.FirstByte.Lost());
        assertThat(race.tryHedge(budget, ticker.read())).as("no hedge after a win").isEqualTo(-1);
    }

    @Test
    void aFailedAttemptIsNoFailureOfTheRequestWhileAnotherRuns() {
        HedgedRequest race = hedging.newRace();
        int first = race.start();
        int hedge = race.tryHedge(budget, ticker.read());

        assertThat(race.failed(first)).as("the hedge still runs").isTrue();
        assertThat(race.failed(hedge)).as("nothing runs any more: decide a retry").isFalse();
        assertThat(race.tryHedge(budget, ticker.read())).as("nothing left to hedge").isEqualTo(-1);
    }

    @Test
    void hedgesStopAtTheMaximumAttemptsAndWhenTheBudgetIsSpent() {
        HedgedRequest race = hedging.newRace();
        race.start();
        assertThat(race.tryHedge(budget, ticker.read())).isEqualTo(2);
        assertThat(race.tryHedge(budget, ticker.read())).as("two attempts at most").isEqualTo(-1);

        HedgedRequest poor = hedging.newRace();
        poor.start();
        assertThat(poor.tryHedge(RetryBudget.builder().ratio(0).minPerSecond(0).build(), ticker.read())).isEqualTo(-1);
        assertThat(poor.started()).isEqualTo(1);
    }

    @Test
    void settingsOutOfRangeAreRejected() {
        assertThatThrownBy(() -> HedgingPolicy.builder().maxAttempts(1)).hasMessage("maxAttempts: 1 (expected: 2-8)");
        assertThatThrownBy(() -> LatencyTracker.builder().percentile(0))
                .hasMessage("percentile: 0.0 (expected: > 0 and <= 100)");
        assertThatThrownBy(() -> hedging.newRace().firstByte(9)).hasMessage("attempt: 9 (expected: 1-8)");
        HedgedRequest race = hedging.newRace();
        race.start();
        assertThatThrownBy(race::start).hasMessage("start: already called (expected: once, before any hedge)");
    }

    private static RoutingRequest request(String priority) {
        return new RoutingRequest("r", "m", 0, -1, false, priority, "", "", RoutingRequest.NO_PREFIX);
    }
}
