package io.infergate.core.time;

/**
 * A source of monotonic nanoseconds. The policy core never reads the wall clock: the gateway injects
 * {@link #system()}, the simulator and the tests inject a virtual ticker, so both run the same code.
 *
 * <pre>{@code
 * Ticker ticker = Ticker.system();
 * long start = ticker.read();
 * ...
 * long elapsedNanos = ticker.read() - start;
 * }</pre>
 */
@FunctionalInterface
public interface Ticker {

    /** Nanoseconds from an arbitrary but fixed origin; only differences are meaningful. */
    long read();

    /** The JVM's monotonic clock, {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
