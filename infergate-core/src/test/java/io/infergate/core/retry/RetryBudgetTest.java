package io.infergate.core.retry;

import io.infergate.core.time.FakeTicker;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryBudgetTest {

    private final FakeTicker ticker = new FakeTicker();

    @Test
    void retriesAreCappedAtTheRatioOfRequests() {
        // given 100 requests and a budget of 20 % with no minimum
        RetryBudget budget = RetryBudget.builder().ratio(0.2).minPerSecond(0).build();
        for (int i = 0; i < 100; i++) {
            budget.onRequest(ticker.read());
        }

        // when retries are asked for
        int granted = 0;
        while (budget.tryWithdraw(ticker.read())) {
            granted++;
        }

        // then twenty were granted and the budget is spent
        assertThat(granted).isEqualTo(20);
        assertThat(budget.remaining(ticker.read())).isZero();

        // when five more requests arrive, they earn one more retry
        for (int i = 0; i < 5; i++) {
            budget.onRequest(ticker.read());
        }
        assertThat(budget.tryWithdraw(ticker.read())).isTrue();
        assertThat(budget.tryWithdraw(ticker.read())).isFalse();
    }

    @Test
    void aQuietPoolStillGetsTheMinimumPerSecond() {
        // given no requests, at least 2 retries a second over a 10 s window
        RetryBudget budget = RetryBudget.builder().minPerSecond(2).build();

        // then 20 retries fit in the window, not 21
        assertThat(budget.remaining(ticker.read())).isEqualTo(20);
        for (int i = 0; i < 20; i++) {
            assertThat(budget.tryWithdraw(ticker.read())).as("retry %d", i + 1).isTrue();
        }
        assertThat(budget.tryWithdraw(ticker.read())).isFalse();

        // when the window has slid past them, the budget is back
        ticker.advance(Duration.ofSeconds(10));
        assertThat(budget.tryWithdraw(ticker.read())).isTrue();
    }

    @Test
    void settingsOutOfRangeAreRejected() {
        assertThatThrownBy(() -> RetryBudget.builder().ratio(1.5)).hasMessage("ratio: 1.5 (expected: 0-1)");
        assertThatThrownBy(() -> RetryBudget.builder().minPerSecond(-1))
                .hasMessage("minPerSecond: -1.0 (expected: a finite number >= 0)");
        assertThatThrownBy(() -> RetryBudget.builder().window(Duration.ofMillis(1)))
                .hasMessage("window: PT0.001S (expected: >= 10 ms)");
    }
}
