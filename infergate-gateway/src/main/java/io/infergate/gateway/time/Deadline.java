package io.infergate.gateway.time;

/**
 * One deadline of a {@link DeadlineSweep}: when armed and passed, it runs its expiry once, at the sweep's
 * resolution. It can be armed again (a connection's wait for its next request head), moved by arming it
 * while armed, and disarmed; each only writes fields.
 *
 * <pre>{@code
 * Deadline perTry = sweep.deadline(this::timedOut);
 * perTry.arm(timeoutMillis);
 * // on the response head:
 * perTry.disarm();
 * }</pre>
 *
 * <p>Confined to its sweep's event loop.
 */
public final class Deadline {

    private final DeadlineSweep sweep;
    private final Runnable onExpiry;
    private long dueNanos;
    private boolean armed;
    /** Whether the sweep holds this deadline: from its arming to the first sweep that finds it disarmed or due. */
    private boolean listed;

    Deadline(DeadlineSweep sweep, Runnable onExpiry) {
        this.sweep = sweep;
        this.onExpiry = onExpiry;
    }

    /** Arms the deadline {@code afterMillis} from now, or moves it there if it was armed. */
    public void arm(long afterMillis) {
        if (afterMillis < 0) {
            throw new IllegalArgumentException("afterMillis: " + afterMillis + " (expected: >= 0)");
        }
        dueNanos = sweep.now() + afterMillis * 1_000_000;
        armed = true;
        if (!listed) {
            listed = true;
            sweep.list(this);
        }
    }

    /** Disarms the deadline: its expiry does not run unless it is armed again. */
    public void disarm() {
        armed = false;
    }

    /** True while armed and not due at {@code nowNanos}: the sweep keeps it. */
    boolean pending(long nowNanos) {
        return armed && nowNanos - dueNanos < 0;
    }

    /** The sweep lets go of it; true if it was armed (and is now due), false if disarmed. */
    boolean unlist() {
        listed = false;
        boolean due = armed;
        armed = false;
        return due;
    }

    void fire() {
        onExpiry.run();
    }
}
