package io.infergate.gateway;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SIGTERM and SIGINT (Ctrl-C) for a process that stops gracefully: {@link #await()} returns on the first
 * one, so the caller can drain; a second one halts the JVM at once with {@link #FORCED_EXIT_STATUS}.
 * (The JVM's own handling runs shutdown hooks and ignores further signals while they run, which would
 * leave no way to cut a drain short.)
 *
 * <pre>{@code
 * String signal = StopSignals.await();   // "TERM" or "INT"
 * gateway.shutdown();
 * }</pre>
 */
final class StopSignals {

    /** The exit status when a second signal stops the process before its drain is over. */
    static final int FORCED_EXIT_STATUS = 1;
    private static final List<String> SIGNALS = List.of("TERM", "INT");

    private StopSignals() {
    }

    /** Blocks until SIGTERM or SIGINT arrives and returns its name; from then on the next one halts the JVM. */
    static String await() throws InterruptedException {
        CountDownLatch received = new CountDownLatch(1);
        AtomicReference<String> first = new AtomicReference<>();
        SignalHandler handler = signal -> {
            if (first.compareAndSet(null, signal.getName())) {
                received.countDown();
            } else {
                System.err.println("infergate: SIG" + signal.getName() + " again: stopping at once");
                Runtime.getRuntime().halt(FORCED_EXIT_STATUS);
            }
        };
        for (String name : SIGNALS) {
            try {
                Signal.handle(new Signal(name), handler);
            } catch (IllegalArgumentException e) {
                // The JVM keeps this signal for itself (e.g. run with -Xrs): its default handling applies.
                System.err.println("infergate: cannot handle SIG" + name + ": " + e.getMessage());
            }
        }
        received.await();
        return first.get();
    }
}
