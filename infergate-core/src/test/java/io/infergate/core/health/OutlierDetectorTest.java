package io.infergate.core.health;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.time.FakeTicker;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class OutlierDetectorTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long MILLI = 1_000_000L;

    private final FakeTicker ticker = new FakeTicker();
    private final List<HealthEvent> events = new CopyOnWriteArrayList<>();
    private final OutlierDetector detector = OutlierDetector.builder().listener(events::add).build();

    @Test
    void fiveFailuresInARowEjectForTheBaseBackoff() {
        // given
        detector.track(pool("chat", "a", "b", "c", "d"));

        // when four failures, then a fifth
        fail("a", 4);
        assertThat(detector.healthy("a")).isTrue();
        fail("a", 1);

        // then
        assertThat(detector.healthy("a")).isFalse();
        assertThat(events).containsExactly(
                new HealthEvent.Ejected("a", "chat", 0, EjectionCause.CONSECUTIVE_FAILURES, 1, 5 * SECOND));
    }

    @Test
    void aSuccessBreaksTheRunOfFailures() {
        detector.track(pool("chat", "a", "b", "c", "d"));

        fail("a", 4);
        detector.onSuccess("a", 10 * MILLI, ticker.read());
        fail("a", 4);

        assertThat(detector.healthy("a")).isTrue();
    }

    @Test
    void aQuarterOfFailuresOverTwentyRequestsEjects() {
        // given failures spread out, never two in a row: three successes then one failure, over and over
        detector.track(pool("chat", "a", "b", "c", "d"));
        for (int request = 1; request <= 19; request++) {
            report("a", request % 4 != 0);
        }
        assertThat(detector.healthy("a")).as("19 requests, 4 failed").isTrue();

        // when the twentieth request fails: 5 of 20
        report("a", false);

        // then
        assertThat(events).singleElement().isInstanceOfSatisfying(HealthEvent.Ejected.class,
                ejected -> assertThat(ejected.cause()).isEqualTo(EjectionCause.ERROR_RATE));
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() {
        // given 4 failed and 15 good requests, then the 10 s window slides past them
        detector.track(pool("chat", "a", "b", "c", "d"));
        for (int request = 1; request <= 19; request++) {
            report("a", request % 4 != 0);
        }
        ticker.advance(Duration.ofSeconds(11));

        // when 19 more requests of which 4 fail
        for (int request = 1; request <= 19; request++) {
            report("a", request % 4 != 0);
        }

        // then the window holds 19 requests only: no ejection
        assertThat(detector.healthy("a")).isTrue();
        assertThat(detector.health("a", ticker.read()).requests()).isEqualTo(19);
    }

    @Test
    void anEndpointFarSlowerThanItsPoolsMedianIsEjectedAtTheSweep() {
        // given three endpoints at 100 ms and one at 400 ms, ten samples each
        detector.track(pool("chat", "a", "b", "c", "slow"));
        for (int sample = 0; sample < 10; sample++) {
            detector.onSuccess("a", 100 * MILLI, ticker.read());
            detector.onSuccess("b", 90 * MILLI, ticker.read());
            detector.onSuccess("c", 110 * MILLI, ticker.read());
            detector.onSuccess("slow", 400 * MILLI, ticker.read());
        }
        assertThat(detector.healthy("slow")).as("latency is judged at sweeps").isTrue();

        // when
        detector.sweep(ticker.read());

        // then the median of the means is 105 ms and 400 ms is above 3 times that
        assertThat(events).singleElement().isInstanceOfSatisfying(HealthEvent.Ejected.class, ejected -> {
            assertThat(ejected.endpointId()).isEqualTo("slow");
            assertThat(ejected.cause()).isEqualTo(EjectionCause.LATENCY);
        });
    }

    @Test
    void latencyIsNotJudgedWithoutEnoughEndpointsOrSamples() {
        // given only two endpoints with ten samples; a third with nine
        detector.track(pool("chat", "a", "slow", "c"));
        for (int sample = 0; sample < 10; sample++) {
            detector.onSuccess("a", 100 * MILLI, ticker.read());
            detector.onSuccess("slow", 900 * MILLI, ticker.read());
            if (sample > 0) {
                detector.onSuccess("c", 100 * MILLI, ticker.read());
            }
        }

        // when
        detector.sweep(ticker.read());

        // then
        assertThat(events).isEmpty();
    }

    @Test
    void eachEjectionInARowDoublesTheBackoffUpToTheMaximum() {
        // given
        detector.track(pool("chat", "a", "b", "c", "d"));
        List<Long> backoffs = new ArrayList<>();

        // when "a" is ejected, waits out its backoff and fails again, six times
        for (int round = 0; round < 6; round++) {
            fail("a", 5);
            HealthEvent.Ejected ejected = (HealthEvent.Ejected) events.getLast();
            backoffs.add((ejected.untilNanos() - ejected.atNanos()) / SECOND);
            ticker.advance(Duration.ofNanos(ejected.untilNanos() - ticker.read() - 1));
            detector.sweep(ticker.read());
            assertThat(detector.healthy("a")).as("a nanosecond before the end").isFalse();
            ticker.advance(Duration.ofNanos(1));
            detector.sweep(ticker.read());
            assertThat(detector.healthy("a")).isTrue();
        }

        // then
        assertThat(backoffs).containsExactly(5L, 10L, 20L, 40L, 60L, 60L);
    }

    @Test
    void theBackoffStepsDownForEveryMinuteTheEndpointStaysHealthy() {
        // given "a" ejected three times in a row (5, 10, 20 s), then re-admitted
        detector.track(pool("chat", "a", "b", "c", "d"));
        for (int round = 0; round < 3; round++) {
            fail("a", 5);
            ticker.advance(Duration.ofSeconds(20));
            detector.sweep(ticker.read());
        }

        // when it stays healthy for two minutes, then fails again
        ticker.advance(Duration.ofSeconds(120));
        fail("a", 5);

        // then its fourth ejection backs off as its second did
        HealthEvent.Ejected ejected = (HealthEvent.Ejected) events.getLast();
        assertThat(ejected.ejections()).isEqualTo(2);
        assertThat(ejected.untilNanos() - ejected.atNanos()).isEqualTo(10 * SECOND);
    }

    @Test
    void neverMoreThanTheMaximumShareOfAPoolIsEjected() {
        // given a pool of four: at most two ejected at once
        detector.track(pool("chat", "a", "b", "c", "d"));

        // when three endpoints fail
        fail("a", 5);
        fail("b", 5);
        fail("c", 5);

        // then only the first two were ejected
        assertThat(List.of("a", "b", "c", "d")).map(detector::healthy).containsExactly(false, false, true, true);

        // when "a" comes back, "c"'s next failure ejects it
        ticker.advance(Duration.ofSeconds(5));
        detector.sweep(ticker.read());
        fail("c", 1);
        assertThat(detector.healthy("c")).isFalse();
    }

    @Test
    void theShareIsCountedPerPoolAndAPoolOfOneIsNeverEmptied() {
        // given
        detector.track(List.of(endpoint("solo", "alone"), endpoint("a", "chat"), endpoint("b", "chat")));

        // when
        fail("solo", 50);
        fail("a", 5);

        // then
        assertThat(detector.healthy("solo")).isTrue();
        assertThat(detector.healthy("a")).isFalse();
    }

    @Test
    void aReadmittedEndpointRampsItsWeightFromZeroToOneOverTheSlowStart() {
        // given "a" ejected and re-admitted after 5 s
        detector.track(pool("chat", "a", "b", "c", "d"));
        fail("a", 5);
        ticker.advance(Duration.ofSeconds(5));
        detector.sweep(ticker.read());
        long readmittedAt = ticker.read();

        // then
        assertThat(events.getLast()).isEqualTo(new HealthEvent.Readmitted("a", "chat", readmittedAt, false));
        assertThat(detector.slowStarts()).containsExactly(new SlowStart("a", readmittedAt, 10 * SECOND));
        assertThat(detector.health("a", readmittedAt).slowStartWeight()).isZero();
        assertThat(detector.health("a", readmittedAt + 5 * SECOND).slowStartWeight()).isCloseTo(0.5, within(1e-9));
        assertThat(detector.health("b", readmittedAt).slowStartWeight()).isEqualTo(1.0);

        // when the ramp is over, the next sweep ends it
        ticker.advance(Duration.ofSeconds(10));
        detector.sweep(ticker.read());
        assertThat(detector.slowStarts()).isEmpty();
    }

    @Test
    void anEjectionEndsTheSlowStart() {
        detector.track(pool("chat", "a", "b", "c", "d"));
        fail("a", 5);
        ticker.advance(Duration.ofSeconds(5));
        detector.sweep(ticker.read());

        fail("a", 5);

        assertThat(detector.slowStarts()).isEmpty();
        assertThat(detector.health("a", ticker.read()).slowStartWeight()).isZero();
    }

    @Test
    void failedProbesEjectAndOnlyAPassingProbeReadmits() {
        // given
        detector.track(pool("chat", "a", "b", "c", "d"));

        // when two probes fail
        detector.onProbe("a", false, ticker.read());
        assertThat(detector.healthy("a")).isTrue();
        detector.onProbe("a", false, ticker.read());

        // then it is ejected and stays out past its backoff
        assertThat(detector.health("a", ticker.read()).cause()).isEqualTo(EjectionCause.PROBE_FAILURES);
        ticker.advance(Duration.ofSeconds(30));
        detector.sweep(ticker.read());
        assertThat(detector.healthy("a")).isFalse();

        // when a probe passes
        detector.onProbe("a", true, ticker.read());

        // then
        assertThat(detector.healthy("a")).isTrue();
        assertThat(events.getLast()).isEqualTo(new HealthEvent.Readmitted("a", "chat", ticker.read(), true));
    }

    @Test
    void aStalledEndpointIsEjectedUntilAProbePasses() {
        // given
        detector.track(pool("chat", "a", "b", "c", "d"));

        // when the gateway sees "a" stall
        assertThat(detector.onStall("a", ticker.read())).isTrue();

        // then it is out, past its backoff too, until a probe passes
        assertThat(events).containsExactly(
                new HealthEvent.Ejected("a", "chat", 0, EjectionCause.STALLED, 1, 5 * SECOND));
        ticker.advance(Duration.ofSeconds(30));
        detector.sweep(ticker.read());
        assertThat(detector.healthy("a")).isFalse();
        detector.onProbe("a", true, ticker.read());
        assertThat(detector.healthy("a")).isTrue();
    }

    @Test
    void stallsNeverEjectMoreThanTheMaximumShareOfAPool() {
        detector.track(pool("chat", "a", "b"));

        assertThat(detector.onStall("a", ticker.read())).isTrue();
        assertThat(detector.onStall("b", ticker.read())).as("half the pool is out already").isFalse();
        assertThat(detector.onStall("a", ticker.read())).as("still out").isTrue();

        assertThat(List.of("a", "b")).map(detector::healthy).containsExactly(false, true);
        assertThat(events).hasSize(1);
    }

    @Test
    void anEndpointEjectedForFailuresWhoseProbeFailsReturnsAtTheFirstPassingProbe() {
        // given "a" ejected for 5 s after refusing connections; a probe 1 s later fails too
        detector.track(pool("chat", "a", "b", "c", "d"));
        fail("a", 5);
        ticker.advance(Duration.ofSeconds(1));
        detector.onProbe("a", false, ticker.read());
        assertThat(detector.health("a", ticker.read()).awaitingProbe()).isTrue();

        // when the backoff is over, it stays out; when a probe passes, even early, it is back
        ticker.advance(Duration.ofSeconds(10));
        detector.sweep(ticker.read());
        assertThat(detector.healthy("a")).isFalse();
        detector.onProbe("a", true, ticker.read());
        assertThat(detector.healthy("a")).isTrue();
    }

    @Test
    void aPassingProbeDoesNotCutShortAnEjectionForErrors() {
        // given "a" ejected for 5 s for failures, while its health path still answers
        detector.track(pool("chat", "a", "b", "c", "d"));
        fail("a", 5);

        // when a probe passes a second later
        ticker.advance(Duration.ofSeconds(1));
        detector.onProbe("a", true, ticker.read());

        // then it waits out its backoff
        assertThat(detector.healthy("a")).isFalse();
        ticker.advance(Duration.ofSeconds(4));
        detector.sweep(ticker.read());
        assertThat(detector.healthy("a")).isTrue();
    }

    @Test
    void outcomesOfRequestsFinishingWhileEjectedAreIgnored() {
        // given "a" ejected
        detector.track(pool("chat", "a", "b", "c", "d"));
        fail("a", 5);

        // when requests that were in flight then fail, and the backoff ends
        fail("a", 10);
        ticker.advance(Duration.ofSeconds(5));
        detector.sweep(ticker.read());

        // then it was ejected once, and comes back with an empty window
        assertThat(events).hasSize(2);
        assertThat(detector.health("a", ticker.read()).requests()).isZero();
    }

    @Test
    void anEndpointNoLongerTrackedIsForgottenAndFreesItsPoolsShare() {
        // given "a" and "b" ejected from a pool of four
        detector.track(pool("chat", "a", "b", "c", "d"));
        fail("a", 5);
        fail("b", 5);

        // when "a" leaves the fleet and "e" joins
        detector.track(pool("chat", "b", "c", "d", "e"));

        // then "a" is unknown (healthy as far as the detector knows) and "c" may now be ejected
        assertThat(detector.health("a", ticker.read())).isNull();
        assertThat(detector.healthy("a")).isTrue();
        fail("c", 5);
        assertThat(detector.healthy("c")).isFalse();
        detector.onFailure("nobody", ticker.read());
        assertThat(detector.healthOfAll(ticker.read())).extracting(EndpointHealth::endpointId)
                .containsExactly("b", "c", "d", "e");
    }

    @Test
    void concurrentFailuresNeverEjectMoreThanTheShare() throws InterruptedException {
        // given a pool of ten endpoints and four threads failing all of them at once
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add("e" + i);
        }
        detector.track(pool("chat", ids.toArray(String[]::new)));
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int round = 0; round < 100; round++) {
                    for (String id : ids) {
                        detector.onFailure(id, 0);
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }

        // when
        start.countDown();
        for (Thread thread : threads) {
            thread.join(10_000);
        }

        // then exactly half were ejected, each once
        assertThat(events).hasSize(5);
        assertThat(ids.stream().filter(id -> !detector.healthy(id))).hasSize(5);
    }

    @Test
    void settingsOutOfRangeAreRejected() {
        assertThatThrownBy(() -> OutlierDetector.builder().consecutiveFailures(0))
                .hasMessage("consecutiveFailures: 0 (expected: >= 1)");
        assertThatThrownBy(() -> OutlierDetector.builder().errorRate(0))
                .hasMessage("errorRate: 0.0 (expected: > 0 and <= 1)");
        assertThatThrownBy(() -> OutlierDetector.builder().latencyFactor(1))
                .hasMessage("latencyFactor: 1.0 (expected: a finite number > 1)");
        assertThatThrownBy(() -> OutlierDetector.builder().maxEjectionShare(1.5))
                .hasMessage("maxEjectionShare: 1.5 (expected: 0-1)");
        assertThatThrownBy(() -> OutlierDetector.builder().slowStart(Duration.ZERO))
                .hasMessage("slowStart: PT0S (expected: > 0)");
        assertThatThrownBy(() -> OutlierDetector.builder().maxEjection(Duration.ofSeconds(1)).build())
                .hasMessage("maxEjection: PT1S (expected: >= baseEjection, PT5S)");
    }

    private void fail(String endpointId, int times) {
        for (int i = 0; i < times; i++) {
            detector.onFailure(endpointId, ticker.read());
        }
    }

    private void report(String endpointId, boolean success) {
        if (success) {
            detector.onSuccess(endpointId, 10 * MILLI, ticker.read());
        } else {
            detector.onFailure(endpointId, ticker.read());
        }
    }

    private static List<Endpoint> pool(String pool, String... ids) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String id : ids) {
            endpoints.add(endpoint(id, pool));
        }
        return endpoints;
    }

    private static Endpoint endpoint(String id, String pool) {
        return Endpoint.builder(id, URI.create("http://127.0.0.1:8000")).pool(pool).models(Set.of("m")).build();
    }
}
