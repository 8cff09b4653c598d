package io.infergate.gateway.proxy;

import io.infergate.gateway.event.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExchangeStateTest {

    @Test
    void aRequestQueuesThenStreamsThenEnds() {
        ExchangeState state = ExchangeState.RECEIVED.to(ExchangeState.QUEUED).to(ExchangeState.DISPATCHED)
                .to(ExchangeState.STREAMING).to(ExchangeState.DONE);

        assertThat(state.ended()).isTrue();
    }

    @Test
    void aWinnerLostBeforeItsFirstByteGoesBackToDispatchedForARetry() {
        assertThat(ExchangeState.STREAMING.to(ExchangeState.DISPATCHED)).isEqualTo(ExchangeState.DISPATCHED);
    }

    @Test
    void anEndedExchangeGoesNowhere() {
        for (ExchangeState end : new ExchangeState[] {ExchangeState.DONE, ExchangeState.FAILED, ExchangeState.CANCELLED}) {
            for (ExchangeState next : ExchangeState.values()) {
                assertThatThrownBy(() -> end.to(next)).isInstanceOf(IllegalStateException.class);
            }
        }
    }

    @Test
    void aQueuedRequestCannotStreamBeforeItIsDispatched() {
        assertThatThrownBy(() -> ExchangeState.QUEUED.to(ExchangeState.STREAMING))
                .hasMessage("an exchange cannot go from QUEUED to STREAMING");
        assertThatThrownBy(() -> ExchangeState.DISPATCHED.to(ExchangeState.QUEUED))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void eachOutcomeEndsInItsState() {
        assertThat(ExchangeState.endingWith(Outcome.SUCCESS)).isEqualTo(ExchangeState.DONE);
        assertThat(ExchangeState.endingWith(Outcome.UPSTREAM_ERROR)).isEqualTo(ExchangeState.DONE);
        assertThat(ExchangeState.endingWith(Outcome.FAILED)).isEqualTo(ExchangeState.FAILED);
        assertThat(ExchangeState.endingWith(Outcome.CLIENT_GONE)).isEqualTo(ExchangeState.CANCELLED);
    }
}
