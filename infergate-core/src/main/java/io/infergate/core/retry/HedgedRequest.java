package io.infergate.core.retry;

import java.util.ArrayList;
import java.util.List;

/**
 * The race of one hedged request's attempts: which are running, and which won. An attempt wins when
 * it is the first to produce the first byte of a successful response; every other attempt still
 * running is then cancelled, and one that produces a first byte later lost and is cancelled too.
 * An attempt that fails while another still runs is no failure of the request.
 *
 * <pre>{@code
 * HedgedRequest race = hedging.newRace();
 * int first = race.start();                                   // 1
 * int hedge = race.tryHedge(poolBudget, now);                 // 2, or -1 when not allowed
 * switch (race.firstByte(hedge)) {
 *     case HedgedRequest.FirstByte.Won won -> won.cancel().forEach(this::resetAttempt);
 *     case HedgedRequest.FirstByte.Lost lost -> resetAttempt(hedge);
 * }
 * if (!race.failed(first)) {
 *     decideRetry();                                          // nothing else is running
 * }
 * }</pre>
 *
 * <p>Attempts are numbered from 1 in the order they start. Safe from any thread (each call locks).
 */
public final class HedgedRequest {

    /** The most attempts one race may have. */
    static final int MAX_ATTEMPTS = 8;

    private final int maxAttempts;
    private int started;
    /** Bit {@code n} set while attempt {@code n} runs. */
    private int running;
    private int winner = -1;

    HedgedRequest(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    /** Starts the first attempt; returns its number, 1. */
    public synchronized int start() {
        if (started != 0) {
            throw new IllegalStateException("start: already called (expected: once, before any hedge)");
        }
        return begin();
    }

    /**
     * Starts a hedge if one is allowed: no attempt has won, one is still running (a request whose
     * attempts all failed is retried instead), fewer than {@code maxAttempts} started, and
     * {@code budget} has a retry left (it is taken). Returns the new attempt's number, or -1.
     */
    public synchronized int tryHedge(RetryBudget budget, long nowNanos) {
        if (winner > 0 || running == 0 || started >= maxAttempts || !budget.tryWithdraw(nowNanos)) {
            return -1;
        }
        return begin();
    }

    /** Attempt {@code attempt} produced the first byte of a successful response. */
    public synchronized FirstByte firstByte(int attempt) {
        if (winner > 0 || (running & bit(attempt)) == 0) {
            running &= ~bit(attempt);
            return new FirstByte.Lost();
        }
        winner = attempt;
        running &= ~bit(attempt);
        List<Integer> cancel = new ArrayList<>();
        for (int other = 1; other <= started; other++) {
            if ((running & bit(other)) != 0) {
                cancel.add(other);
            }
        }
        running = 0;
        return new FirstByte.Won(cancel);
    }

    /**
     * Attempt {@code attempt} failed before its first byte. Returns true while another attempt still
     * runs or has won (the request goes on), false when this was the last one running (the request
     * failed: let {@link RetryPolicy} decide).
     */
    public synchronized boolean failed(int attempt) {
        running &= ~bit(attempt);
        return winner > 0 || running != 0;
    }

    /** The attempts started so far. */
    public synchronized int started() {
        return started;
    }

    /** The winning attempt, or -1 while none has won. */
    public synchronized int winner() {
        return winner;
    }

    private int begin() {
        started++;
        running |= bit(started);
        return started;
    }

    private static int bit(int attempt) {
        if (attempt < 1 || attempt > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("attempt: " + attempt + " (expected: 1-" + MAX_ATTEMPTS + ")");
        }
        return 1 << attempt;
    }

    /** What became of an attempt that produced its first byte. */
    public sealed interface FirstByte {

        /**
         * It was the first: relay its response.
         *
         * @param cancel the other attempts still running, to cancel
         */
        record Won(List<Integer> cancel) implements FirstByte {
            public Won {
                cancel = List.copyOf(cancel);
            }
        }

        /** Another attempt already won: cancel this one. */
        record Lost() implements FirstByte {
        }
    }
}
