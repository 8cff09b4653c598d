package io.infergate.core.limit;

import io.infergate.core.time.FakeTicker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BucketSetTest {

    private final FakeTicker ticker = new FakeTicker();
    private final BucketSet buckets = new BucketSet();
    private final LimitCharge request = new LimitCharge("key:a:rpm", LimitKind.REQUESTS, 60, 1);

    @Test
    void aFullMinuteOfRequestsIsAdmittedThenTheNextWaitsForOneRefill() {
        for (int i = 0; i < 60; i++) {
            assertThat(buckets.acquire(List.of(request), ticker.read())).isInstanceOf(LimitDecision.Allowed.class);
        }

        LimitDecision refused = buckets.acquire(List.of(request), ticker.read());

        assertThat(refused).isInstanceOfSatisfying(LimitDecision.Limited.class, limited -> {
            assertThat(limited.retryAfterNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
            assertThat(limited.exceeded()).isEqualTo(request);
            assertThat(limited.statuses()).containsExactly(
                    new BucketStatus(LimitKind.REQUESTS, 60, 0, Duration.ofMinutes(1).toNanos()));
        });
        ticker.advance(Duration.ofSeconds(1));
        assertThat(buckets.acquire(List.of(request), ticker.read())).isInstanceOf(LimitDecision.Allowed.class);
    }

    @Test
    void aRefusedRequestTakesNothingFromItsOtherBuckets() {
        LimitCharge tenant = new LimitCharge("tenant:t:rpm", LimitKind.REQUESTS, 1, 1);
        buckets.acquire(List.of(tenant), ticker.read());

        LimitDecision decision = buckets.acquire(List.of(request, tenant), ticker.read());

        assertThat(decision).isInstanceOfSatisfying(LimitDecision.Limited.class,
                limited -> assertThat(limited.exceeded()).isEqualTo(tenant));
        assertThat(decision.statuses().getFirst().remaining()).isEqualTo(60);
    }

    @Test
    void settlementGivesBackUnusedTokensAndChargesOverruns() {
        LimitCharge reserve = new LimitCharge("key:a:tpm", LimitKind.TOKENS, 1000, 800);
        buckets.acquire(List.of(reserve), ticker.read());

        buckets.adjust(List.of(reserve.withAmount(100 - 800)), ticker.read());
        assertThat(buckets.acquire(List.of(reserve.withAmount(0)), ticker.read()).statuses().getFirst().remaining())
                .isEqualTo(900);

        buckets.adjust(List.of(reserve.withAmount(1500)), ticker.read());
        LimitDecision inDebt = buckets.acquire(List.of(reserve.withAmount(1)), ticker.read());
        assertThat(inDebt).isInstanceOfSatisfying(LimitDecision.Limited.class, limited -> {
            assertThat(limited.statuses().getFirst().remaining()).isZero();
            // 600 in debt + 1 needed, at 1000 per minute
            assertThat(limited.retryAfterNanos()).isEqualTo((long) Math.ceil(601 * 60e9 / 1000));
        });
    }

    @Test
    void aChargeLargerThanTheLimitFitsAFullBucketAndLeavesItInDebt() {
        LimitCharge huge = new LimitCharge("key:a:tpm", LimitKind.TOKENS, 100, 250);

        assertThat(buckets.acquire(List.of(huge), ticker.read())).isInstanceOf(LimitDecision.Allowed.class);
        assertThat(buckets.acquire(List.of(huge), ticker.read())).isInstanceOfSatisfying(LimitDecision.Limited.class,
                limited -> assertThat(limited.retryAfterNanos()).isEqualTo(Duration.ofSeconds(150).toNanos()));
    }

    @Test
    void fullBucketsAreForgotten() {
        buckets.acquire(List.of(request), ticker.read());
        buckets.forgetFull(ticker.read());
        assertThat(buckets.size()).isEqualTo(1);

        ticker.advance(Duration.ofSeconds(1));
        buckets.forgetFull(ticker.read());

        assertThat(buckets.size()).isZero();
    }
}
