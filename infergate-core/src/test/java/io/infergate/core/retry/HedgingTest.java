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
    private final HedgingPolicy hedging = HedgingPolicy.builder().priorities(Set.of("critical")).build();
    private final RetryBudget budget = RetryBudget.builder().build();

    @Test
    void hedgedClassesWaitForTheirFirstBytePercentileAndOthersAreNeverHedged() {
        assertThat(hedging.hedgeAfterNanos(request("critical"), 95 * MILLI)).isEqualTo(95 * MILLI);
        assertThat(hedging.hedgeAfterNanos(request("standard"), 95 * MILLI)).isEqualTo(-1);
    }

    @Test
    void byDefaultEveryClassIsHedged() {
        HedgingPolicy all = HedgingPolicy.builder().build();
        for (String priority : List.of("critical", "standard", "sheddable", "batch")) {
            assertThat(all.hedgeAfterNanos(request(priority), 120 * MILLI)).as(priority).isEqualTo(120 * MILLI);
        }
    }

    @Test
    void noHedgeBeforeThereIsAFigureAndNeverSoonerThanTheMinimum() {
        assertThat(hedging.hedgeAfterNanos(request("critical"), -1)).isEqualTo(-1);
        assertThat(hedging.hedgeAfterNanos(request("critical"), MILLI)).isEqualTo(10 * MILLI);
    }

    @Test
    void theFirstBytePercentileOfEachShapeIsItsOwn() {
        // given short non-streamed answers of ~100 ms and long ones of ~2 s to the same pool
        FirstByteTimeouts firstBytes = new FirstByteTimeouts(() -> AdaptiveTimeout.builder().minSamples(20).build());
        RoutingRequest shortAnswer = request("standard", 48);
        RoutingRequest longAnswer = request("standard", 2000);
        for (int i = 0; i < 20; i++) {
            firstBytes.record("chat", shortAnswer, 100 * MILLI, ticker.read());
            firstBytes.record("chat", longAnswer, 2000 * MILLI, ticker.read());
        }
        ticker.advance(Duration.ofSeconds(2));

        // then each is hedged after its own figure: a long answer is not duplicated at the short ones' p99
        HedgingPolicy all = HedgingPolicy.builder().build();
        assertThat(all.hedgeAfterNanos(shortAnswer, firstBytes.percentileNanos("chat", shortAnswer, ticker.read())))
                .isCloseTo(100 * MILLI, within(MILLI));
        assertThat(all.hedgeAfterNanos(longAnswer, firstBytes.percentileNanos("chat", longAnswer, ticker.read())))
                .isCloseTo(2000 * MILLI, within(10 * MILLI));
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
        assertThatThrownBy(() -> hedging.newRace().firstByte(9)).hasMessage("attempt: 9 (expected: 1-8)");
        HedgedRequest race = hedging.newRace();
        race.start();
        assertThatThrownBy(race::start).hasMessage("start: already called (expected: once, before any hedge)");
    }

    private static RoutingRequest request(String priority) {
        return request(priority, -1);
    }

    private static RoutingRequest request(String priority, int maxTokens) {
        return new RoutingRequest("r", "m", 0, maxTokens, false, priority, "", "", RoutingRequest.NO_PREFIX);
    }
}
