package io.infergate.loadgen;

import io.infergate.loadgen.client.Exchange;

import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * Receives a load run's {@link Progress} once a second, on a thread of its own, is told when the
 * measured part of the run starts (after any warm-up), and may see each measured request as it ends.
 *
 * <pre>{@code
 * LoadGenerator.run(scenario, ProgressListener.printingTo(System.err, ""));
 * }</pre>
 */
@FunctionalInterface
public interface ProgressListener {

    /** Ignores progress. */
    ProgressListener NONE = progress -> { };

    void onSecond(Progress progress);

    /** Called once, on the sending thread, just before the first measured request is scheduled. */
    default void onMeasurementStart() {
    }

    /**
     * Called for each measured request as it ends, answered or failed, on one of the load generator's
     * event loops: must be quick and thread-safe. Warm-up requests are not passed here.
     */
    default void onExchange(Exchange exchange) {
    }

    /** Prints {@link Progress#line()} to {@code out}, each line after {@code prefix}. */
    static ProgressListener printingTo(PrintStream out, String prefix) {
        return progress -> out.println(prefix + progress.line());
    }

    /** This listener, also passing each measured request to {@code consumer} as it ends (see {@link #onExchange}). */
    default ProgressListener onEachExchange(Consumer<Exchange> consumer) {
        return decorated(this, () -> { }, consumer);
    }

    /** This listener, with {@code action} run at the start of the measurement. */
    default ProgressListener whenMeasuring(Runnable action) {
        return decorated(this, action, exchange -> { });
    }

    /** {@code self}, with {@code atStart} run after its own start and {@code onExchange} after its own. */
    private static ProgressListener decorated(ProgressListener self, Runnable atStart, Consumer<Exchange> onExchange) {
        return new ProgressListener() {
            @Override
            public void onSecond(Progress progress) {
                self.onSecond(progress);
            }

            @Override
            public void onMeasurementStart() {
                self.onMeasurementStart();
                atStart.run();
            }

            @Override
            public void onExchange(Exchange exchange) {
                self.onExchange(exchange);
                onExchange.accept(exchange);
            }
        };
    }
}
