package io.infergate.core.health;

import io.infergate.core.time.FakeTicker;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StallRuleTest {

    private static final long MS = 1_000_000;

    private final StallRule rule = StallRule.DEFAULT;
    private final FakeTicker ticker = new FakeTicker();

    @Test
    void theThresholdIsTwiceTheP99AtLeast250Ms() {
        assertThat(rule.thresholdNanos(400 * MS)).isEqualTo(800 * MS);
        assertThat(rule.thresholdNanos(100 * MS)).as("floor").isEqualTo(250 * MS);
    }

    @Test
    void withoutAP99NoAttemptIsWatched() {
        long threshold = rule.thresholdNanos(-1);
        long sent = ticker.read();

        ticker.advance(Duration.ofMinutes(10));

        assertThat(threshold).isEqualTo(StallRule.UNWATCHED);
        assertThat(rule.stalled(sent, StallRule.NO_PROGRESS, threshold, ticker.read())).isFalse();
    }

    @Test
    void anEndpointSilentSinceTheAttemptWasSentIsStalledOnceTheThresholdHasPassed() {
        // given an endpoint that last answered 1 s before the attempt was sent, and a threshold of 300 ms
        long lastProgress = ticker.read();
        ticker.advance(Duration.ofSeconds(1));
        long sent = ticker.read();
        long threshold = rule.thresholdNanos(150 * MS);

        // when 300 ms pass: not yet; 1 ms more: stalled
        ticker.advanceMillis(300);
        assertThat(rule.stalled(sent, lastProgress, threshold, ticker.read())).isFalse();
        ticker.advanceMillis(1);
        assertThat(rule.stalled(sent, lastProgress, threshold, ticker.read())).isTrue();
        assertThat(rule.stalled(sent, StallRule.NO_PROGRESS, threshold, ticker.read()))
                .as("an endpoint never heard from").isTrue();
    }

    @Test
    void anEndpointThatKeepsAnsweringIsNotStalledHoweverLongOneRequestTakes() {
        // given a busy endpoint: the attempt waits 10 s, and other requests' chunks come every 200 ms
        long sent = ticker.read();
        long threshold = rule.thresholdNanos(150 * MS);
        long lastProgress = sent;
        for (int i = 0; i < 50; i++) {
            ticker.advanceMillis(200);
            assertThat(rule.stalled(sent, lastProgress, threshold, ticker.read())).isFalse();
            lastProgress = ticker.read();
        }
    }

    @Test
    void anEndpointThatFinishedWhatItHadAndThenFellSilentIsStalledOnceSilentForTheThreshold() {
        // given an attempt sent at 0, and the endpoint's last answer (to an older request) 100 ms later
        long sent = ticker.read();
        long threshold = rule.thresholdNanos(150 * MS);
        ticker.advanceMillis(100);
        long lastProgress = ticker.read();

        // then it is stalled 300 ms after that answer, not 300 ms after the attempt was sent
        assertThat(rule.stalledAfterNanos(sent, lastProgress, threshold)).isEqualTo(lastProgress + 300 * MS);
        ticker.advanceMillis(300);
        assertThat(rule.stalled(sent, lastProgress, threshold, ticker.read())).isFalse();
        ticker.advanceMillis(1);
        assertThat(rule.stalled(sent, lastProgress, threshold, ticker.read())).isTrue();
    }

    @Test
    void progressAtTheVeryInstantTheAttemptWasSentCountsFromTheSend() {
        long sent = ticker.read();

        assertThat(rule.stalledAfterNanos(sent, sent, rule.thresholdNanos(150 * MS))).isEqualTo(sent + 300 * MS);
        assertThat(rule.stalledAfterNanos(sent, sent, StallRule.UNWATCHED)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void settingsOutOfRangeAreRejected() {
        assertThatThrownBy(() -> new StallRule(0.5, Duration.ofMillis(250)))
                .hasMessage("multiplier: 0.5 (expected: a finite number >= 1)");
        assertThatThrownBy(() -> new StallRule(2, Duration.ZERO)).hasMessage("min: PT0S (expected: > 0)");
    }
}
