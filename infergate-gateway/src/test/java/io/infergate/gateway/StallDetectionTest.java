package io.infergate.gateway;

import io.infergate.gateway.SteadyLoad.Sample;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.infergate.gateway.SteadyLoad.p99Millis;
import static io.infergate.gateway.SteadyLoad.slowestMillis;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stall detection with the default settings, over real sockets to emulated endpoints under steady
 * non-streamed load: a hung endpoint is noticed within a few hundred milliseconds, long before its probes
 * fail, and a slow but working one is left alone.
 */
class StallDetectionTest {

    private static final int RATE_PER_SECOND = 20;
    /** About 110 ms at the harness speed, 1.1 s on an endpoint ten times slower. */
    private static final int MAX_TOKENS = 48;
    /** 100 first bytes of a shape are needed before its p99, and so stall detection, applies: 5 s at 20/s. */
    private static final Duration WARM_UP = Duration.ofSeconds(6);

    private static final String NO_HEDGING = "retry: {hedging: {enabled: false}}\n";

    @Test
    void requestsWaitingOnAHungEndpointAreRetriedElsewhereWellUnderASecond() throws Exception {
        // hedging off: a hedge at the p99 would win first and cancel the waiting attempts the rule watches
        try (GatewayHarness harness = GatewayHarness.builder().emulators(4).scheduler("round-robin")
                .topLevel(NO_HEDGING).start()) {
            // given a gateway warmed up by answers of another shape (longer), so that the slow first answers of
            // a cold JVM do not make the p99 of the shape measured (its window is 10 s)
            new SteadyLoad(harness, RATE_PER_SECOND, 300).run(Duration.ofSeconds(2));

            // when ep2 hangs under steady load (it accepts requests, its health path included, and never answers)
            Duration hangAt = WARM_UP;
            List<Sample> done = new SteadyLoad(harness, RATE_PER_SECOND, MAX_TOKENS).run(hangAt.plusSeconds(3),
                    hangAt, () -> harness.emulators.get(2).faults().hang(true));

            // then no request fails, and none sent after the hang waits much longer than twice the p99
            // (at least 250 ms) plus a retry: the probes alone would have taken 2.5 s
            long before = slowestMillis(done, 0, hangAt.toNanos());
            long after = slowestMillis(done, hangAt.toNanos(), Long.MAX_VALUE);
            System.out.printf("hung endpoint: p99 before %.1f ms, slowest before %d ms, slowest sent after the hang %d ms%n",
                    p99Millis(done, 0, hangAt.toNanos()), before, after);
            assertThat(done).allSatisfy(sample -> assertThat(sample.status()).isEqualTo(200));
            assertThat(after).as("slowest request sent after the hang, ms").isLessThan(1_000);
            String metrics = harness.get(harness.adminUrl("/metrics")).body();
            assertThat(metrics).containsPattern("infergate_retries_total\\{reason=\"endpoint_stalled\"} [1-9]");
            assertThat(metrics).contains("infergate_endpoint_ejections_total{cause=\"stalled\",endpoint=\"ep2\"} 1.0");
            assertThat(metrics).as("ejected for its stall before its probes failed twice")
                    .doesNotContain("infergate_endpoint_ejections_total{cause=\"probe_failures\",endpoint=\"ep2\"}");
        }
    }

    @Test
    void anEndpointTenTimesSlowerThanTheOthersIsNotTakenForStalled() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulator(o -> o.speed(2)).emulators(3)
                .scheduler("round-robin").start()) {
            // given long non-streamed answers from ep0 (about 1.1 s each, the others about 110 ms), under load
            List<Sample> done = new SteadyLoad(harness, RATE_PER_SECOND, MAX_TOKENS).run(WARM_UP.plusSeconds(4),
                    Duration.ZERO, () -> { });

            // then stall detection applied (the pool's p99 is known, so its per-try timeout adapted) and ep0,
            // whose answers make that p99, was never flagged
            String metrics = harness.get(harness.adminUrl("/metrics")).body();
            assertThat(done).allSatisfy(sample -> assertThat(sample.status()).isEqualTo(200));
            assertThat(metrics).doesNotContain("infergate_retry_per_try_timeout_seconds{pool=\"test\",shape=\"max_tokens_256\"} 60.0");
            assertThat(metrics).doesNotContain("endpoint_stalled").doesNotContain("cause=\"stalled\"");
        }
    }
}
