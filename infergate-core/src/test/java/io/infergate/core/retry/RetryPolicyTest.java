package io.infergate.core.retry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {

    private final RetryPolicy policy = RetryPolicy.builder().maxAttempts(3).build();
    private final RetryBudget budget = RetryBudget.builder().build();
    private final RetryBudget spent = RetryBudget.builder().ratio(0).minPerSecond(0).build();

    @Test
    void aFailureBeforeTheFirstByteIsRetriedAfterTheBackoff() {
        RetryDecision decision = policy.decide(
                new FailedAttempt("r1", 1, 1, new AttemptFailure.ServerError(503), true), budget, 0);

        assertThat(decision).isEqualTo(new RetryDecision.Retry(2, Backoff.DEFAULT.delayNanos(1, "r1")));
    }

    @Test
    void timeoutsAndLostConnectionsOfReplayableRequestsAreRetried() {
        assertThat(policy.decide(new FailedAttempt("r", 1, 1, new AttemptFailure.TimedOut(), true), budget, 0))
                .isInstanceOf(RetryDecision.Retry.class);
        assertThat(policy.decide(new FailedAttempt("r", 2, 2, new AttemptFailure.ConnectionLost(), true), budget, 0))
                .isEqualTo(new RetryDecision.Retry(3, Backoff.DEFAULT.delayNanos(2, "r")));
    }

    @Test
    void nothingIsRetriedOncePartOfTheResponseReachedTheClient() {
        assertThat(policy.decide(new FailedAttempt("r", 1, 1, new AttemptFailure.CutMidResponse(), true), budget, 0))
                .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.RESPONSE_STARTED));
    }

    @Test
    void onlyStatusesAnotherEndpointMightAnswerDifferentlyAreRetried() {
        for (int status : new int[] {500, 502, 503, 504}) {
            assertThat(policy.decide(new FailedAttempt("r", 1, 1, new AttemptFailure.ServerError(status), true), budget, 0))
                    .as("status %d", status).isInstanceOf(RetryDecision.Retry.class);
        }
        for (int status : new int[] {501, 505, 507}) {
            assertThat(policy.decide(new FailedAttempt("r", 1, 1, new AttemptFailure.ServerError(status), true), budget, 0))
                    .as("status %d", status)
                    .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.STATUS_NOT_RETRYABLE));
        }
    }

    @Test
    void aNonIdempotentRequestIsRetriedOnlyWhenItReachedNobody() {
        boolean post = RetryPolicy.replayable("POST", false);

        assertThat(policy.decide(new FailedAttempt("r", 1, 0, new AttemptFailure.ConnectFailed(), post), budget, 0))
                .isInstanceOf(RetryDecision.Retry.class);
        assertThat(policy.decide(new FailedAttempt("r", 1, 1, new AttemptFailure.TimedOut(), post), budget, 0))
                .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.NOT_REPLAYABLE));
    }

    @Test
    void inferenceRoutesAndIdempotentMethodsAreReplayable() {
        assertThat(RetryPolicy.replayable("POST", true)).isTrue();
        assertThat(RetryPolicy.replayable("get", false)).isTrue();
        assertThat(RetryPolicy.replayable("DELETE", false)).isTrue();
        assertThat(RetryPolicy.replayable("POST", false)).isFalse();
        assertThat(RetryPolicy.replayable("PATCH", false)).isFalse();
    }

    @Test
    void theLastAllowedAttemptIsNotRetried() {
        assertThat(policy.decide(new FailedAttempt("r", 3, 3, new AttemptFailure.ServerError(500), true), budget, 0))
                .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.ATTEMPTS_EXHAUSTED));
    }

    @Test
    void connectFailuresAndEjectedEndpointsDoNotUseUpTheAttemptsMeantForServerErrors() {
        // given a request whose first two attempts reached nobody and whose third waited on an endpoint then ejected
        assertThat(RetryPolicy.charged(new AttemptFailure.ConnectFailed())).isFalse();
        assertThat(RetryPolicy.charged(new AttemptFailure.EndpointEjected())).isFalse();
        assertThat(RetryPolicy.charged(new AttemptFailure.ServerError(500))).isTrue();
        assertThat(policy.decide(new FailedAttempt("r", 3, 0, new AttemptFailure.EndpointEjected(), true), budget, 0))
                .isEqualTo(new RetryDecision.Retry(4, Backoff.DEFAULT.delayNanos(3, "r")));

        // when its fourth and fifth attempts get a 500: the three charged attempts are not all used yet
        assertThat(policy.decide(new FailedAttempt("r", 5, 2, new AttemptFailure.ServerError(500), true), budget, 0))
                .isInstanceOf(RetryDecision.Retry.class);
        assertThat(policy.decide(new FailedAttempt("r", 6, 3, new AttemptFailure.ServerError(500), true), budget, 0))
                .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.ATTEMPTS_EXHAUSTED));
    }

    @Test
    void retriesAfterUnchargedFailuresAreCappedSoADeadPoolAnswersQuickly() {
        int free = RetryPolicy.FREE_RETRIES;
        assertThat(policy.decide(new FailedAttempt("r", free, 0, new AttemptFailure.ConnectFailed(), true), budget, 0))
                .isInstanceOf(RetryDecision.Retry.class);
        assertThat(policy.decide(new FailedAttempt("r", free + 1, 0, new AttemptFailure.ConnectFailed(), true), budget, 0))
                .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.ATTEMPTS_EXHAUSTED));
    }

    @Test
    void anAttemptOnAStalledEndpointIsRetriedFreelyLikeOneOnAnEjectedEndpoint() {
        assertThat(RetryPolicy.charged(new AttemptFailure.EndpointStalled())).isFalse();
        assertThat(policy.decide(new FailedAttempt("r", 1, 0, new AttemptFailure.EndpointStalled(), true), spent, 0))
                .isInstanceOf(RetryDecision.Retry.class);
        assertThat(policy.decide(new FailedAttempt("r", 1, 0, new AttemptFailure.EndpointStalled(), false), budget, 0))
                .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.NOT_REPLAYABLE));
    }

    @Test
    void anAttemptOnAnEjectedEndpointIsRetriedWithoutTheBudgetButOnlyWhenReplayable() {
        assertThat(policy.decide(new FailedAttempt("r", 1, 0, new AttemptFailure.EndpointEjected(), true), spent, 0))
                .isInstanceOf(RetryDecision.Retry.class);
        assertThat(policy.decide(new FailedAttempt("r", 1, 0, new AttemptFailure.EndpointEjected(), false), budget, 0))
                .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.NOT_REPLAYABLE));
    }

    @Test
    void aSpentBudgetStopsRetriesExceptOfConnectFailures() {
        assertThat(policy.decide(new FailedAttempt("r", 1, 1, new AttemptFailure.ServerError(502), true), spent, 0))
                .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.BUDGET_EXHAUSTED));
        assertThat(policy.decide(new FailedAttempt("r", 1, 0, new AttemptFailure.ConnectFailed(), true), spent, 0))
                .isInstanceOf(RetryDecision.Retry.class);
    }

    @Test
    void retriesWithdrawFromTheBudgetUntilItIsSpent() {
        // given a budget of exactly two retries
        RetryBudget two = RetryBudget.builder().ratio(0).minPerSecond(0.2).build();

        // then
        for (int i = 0; i < 2; i++) {
            assertThat(policy.decide(new FailedAttempt("r" + i, 1, 1, new AttemptFailure.TimedOut(), true), two, 0))
                    .isInstanceOf(RetryDecision.Retry.class);
        }
        assertThat(policy.decide(new FailedAttempt("r3", 1, 1, new AttemptFailure.TimedOut(), true), two, 0))
                .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.BUDGET_EXHAUSTED));
    }

    @Test
    void argumentsOutOfRangeAreRejected() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0)).hasMessage("maxAttempts: 0 (expected: 1-10)");
        assertThatThrownBy(() -> new AttemptFailure.ServerError(404)).hasMessage("status: 404 (expected: 500-599)");
        assertThatThrownBy(() -> new FailedAttempt("r", 0, 0, new AttemptFailure.TimedOut(), true))
                .hasMessage("attempt: 0 (expected: >= 1)");
        assertThatThrownBy(() -> new FailedAttempt("r", 1, 2, new AttemptFailure.TimedOut(), true))
                .hasMessage("charged: 2 (expected: 0-1)");
    }
}
