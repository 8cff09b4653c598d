package io.infergate.gateway.time;

import io.infergate.core.time.Ticker;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link Deadline}s of one event loop, checked every {@link #RESOLUTION} by one periodic timer, in
 * place of one Vert.x timer per deadline: arming, moving and disarming a deadline only writes its fields,
 * where setting and cancelling a Vert.x timer for every request and connection took a tenth of the data
 * plane's CPU. A deadline fires once, between its time and one {@link #RESOLUTION} later, never before;
 * that suits timeouts of seconds (slow clients, per-try timeouts), not sub-millisecond ones (hedging).
 * The periodic timer runs only while some deadline is listed.
 *
 * <p>Confined to one event loop: create it, and arm its deadlines, on that loop only.
 *
 * <pre>{@code
 * DeadlineSweep sweep = new DeadlineSweep(vertx, Ticker.system(), DeadlineSweep.RESOLUTION);
 * Deadline head = sweep.deadline(connection::close);
 * head.arm(10_000);   // closes the connection 10 to 10.05 s from now...
 * head.disarm();      // ...unless disarmed (or moved by arm) first
 * }</pre>
 */
public final class DeadlineSweep {

    /** How often the gateway's sweeps check their deadlines: how late a deadline may fire. */
    public static final Duration RESOLUTION = Duration.ofMillis(50);

    private static final Logger LOG = Logger.getLogger(DeadlineSweep.class.getName());

    private final Vertx vertx;
    private final Ticker ticker;
    private final long periodMillis;
    /** The deadlines armed since the last sweep, and those armed before and not yet due; some disarmed since. */
    private final List<Deadline> listed = new ArrayList<>();
    private long timer = -1;

    /** @param period how often to check the deadlines: how late one may fire */
    public DeadlineSweep(Vertx vertx, Ticker ticker, Duration period) {
        if (period.toMillis() < 1) {
            throw new IllegalArgumentException("period: " + period + " (expected: >= 1 ms)");
        }
        this.vertx = vertx;
        this.ticker = ticker;
        this.periodMillis = period.toMillis();
    }

    /** A new deadline, disarmed, that runs {@code onExpiry} on this sweep's event loop when it passes. */
    public Deadline deadline(Runnable onExpiry) {
        return new Deadline(this, onExpiry);
    }

    long now() {
        return ticker.read();
    }

    /** Lists {@code deadline}, just armed and not listed, and starts the periodic check if it was stopped. */
    void list(Deadline deadline) {
        listed.add(deadline);
        if (timer < 0) {
            timer = vertx.setPeriodic(periodMillis, id -> expire(ticker.read()));
        }
    }

    /**
     * Fires the armed deadlines due at {@code nowNanos}, forgets them and the disarmed ones, and stops the
     * periodic check when none is left. What an expiry arms is checked from the next sweep on.
     */
    void expire(long nowNanos) {
        List<Deadline> due = List.of();
        int kept = 0;
        for (int i = 0; i < listed.size(); i++) {
            Deadline deadline = listed.get(i);
            if (deadline.pending(nowNanos)) {
                listed.set(kept++, deadline);
            } else if (deadline.unlist()) {
                if (due.isEmpty()) {
                    due = new ArrayList<>();
                }
                due.add(deadline);
            }
        }
        listed.subList(kept, listed.size()).clear();
        if (listed.isEmpty() && timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        for (Deadline deadline : due) {
            try {
                deadline.fire();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a deadline's expiry failed; the other deadlines due fire still", e);
            }
        }
    }

    /** How many deadlines the sweep holds, armed or disarmed since the last sweep. */
    int listedCount() {
        return listed.size();
    }
}
