package io.infergate.gateway.time;

import io.infergate.core.time.FakeTicker;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadlineSweepTest {

    private final Vertx vertx = Vertx.vertx();
    private final FakeTicker ticker = new FakeTicker();
    /** Swept by hand: its periodic timer (an hour) never fires during a test. */
    private final DeadlineSweep sweep = new DeadlineSweep(vertx, ticker, Duration.ofHours(1));
    private final AtomicInteger fired = new AtomicInteger();

    @AfterEach
    void closeVertx() {
        vertx.close().await();
    }

    @Test
    void anArmedDeadlineFiresOnceWhenDueNeverBefore() {
        Deadline deadline = sweep.deadline(fired::incrementAndGet);
        deadline.arm(1000);
        sweep.expire(ticker.advanceMillis(999).read());
        assertThat(fired).hasValue(0);
        sweep.expire(ticker.advanceMillis(1).read());
        assertThat(fired).hasValue(1);
        sweep.expire(ticker.advanceMillis(5000).read());
        assertThat(fired).hasValue(1);
        assertThat(sweep.listedCount()).isZero();
    }

    @Test
    void aDisarmedDeadlineDoesNotFireAndIsForgottenAtTheNextSweep() {
        Deadline deadline = sweep.deadline(fired::incrementAndGet);
        deadline.arm(1000);
        deadline.disarm();
        sweep.expire(ticker.advanceMillis(10).read());
        assertThat(sweep.listedCount()).isZero();
        sweep.expire(ticker.advanceMillis(5000).read());
        assertThat(fired).hasValue(0);
    }

    @Test
    void armingAgainMovesTheDeadline() {
        Deadline deadline = sweep.deadline(fired::incrementAndGet);
        deadline.arm(1000);
        ticker.advanceMillis(500);
        deadline.arm(1000);
        sweep.expire(ticker.advanceMillis(500).read());
        assertThat(fired).hasValue(0);
        assertThat(sweep.listedCount()).isOne();
        sweep.expire(ticker.advanceMillis(500).read());
        assertThat(fired).hasValue(1);
    }

    @Test
    void aDeadlineDisarmedAndArmedAgainBeforeASweepIsListedOnce() {
        Deadline deadline = sweep.deadline(fired::incrementAndGet);
        for (int request = 0; request < 100; request++) {
            deadline.arm(1000);
            deadline.disarm();
        }
        deadline.arm(1000);
        assertThat(sweep.listedCount()).isOne();
        sweep.expire(ticker.advanceMillis(1000).read());
        assertThat(fired).hasValue(1);
    }

    @Test
    void anExpiryMayArmItsDeadlineAgainAndAFailingOneStopsNoOther() {
        Deadline[] again = new Deadline[1];
        again[0] = sweep.deadline(() -> {
            fired.incrementAndGet();
            again[0].arm(1000);
        });
        Deadline failing = sweep.deadline(() -> {
            throw new IllegalStateException("expiry failed");
        });
        failing.arm(1000);
        again[0].arm(1000);
        sweep.expire(ticker.advanceMillis(1000).read());
        assertThat(fired).hasValue(1);
        sweep.expire(ticker.advanceMillis(1000).read());
        assertThat(fired).hasValue(2);
        assertThat(sweep.listedCount()).isOne();
    }

    @Test
    void thePeriodicCheckFiresDeadlinesOnTheEventLoopThatArmedThem() throws Exception {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Thread> firedOn = new CompletableFuture<>();
        CompletableFuture<Thread> armedOn = new CompletableFuture<>();
        long start = System.nanoTime();
        context.runOnContext(v -> {
            DeadlineSweep real = new DeadlineSweep(vertx, System::nanoTime, Duration.ofMillis(10));
            real.deadline(() -> firedOn.complete(Thread.currentThread())).arm(30);
            armedOn.complete(Thread.currentThread());
        });
        assertThat(firedOn.get(5, TimeUnit.SECONDS)).isSameAs(armedOn.get());
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(30);
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> new DeadlineSweep(vertx, ticker, Duration.ZERO))
                .hasMessage("period: PT0S (expected: >= 1 ms)");
        assertThatThrownBy(() -> sweep.deadline(fired::incrementAndGet).arm(-1))
                .hasMessage("afterMillis: -1 (expected: >= 0)");
    }
}
