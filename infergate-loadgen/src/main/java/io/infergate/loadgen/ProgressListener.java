package io.infergate.loadgen;

import java.io.PrintStream;

/**
 * Receives a load run's {@link Progress} once a second, on a thread of its own, and is told when the
 * measured part of the run starts (after any warm-up).
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

    /** Prints {@link Progress#line()} to {@code out}, each line after {@code prefix}. */
    static ProgressListener printingTo(PrintStream out, String prefix) {
        return progress -> out.println(prefix + progress.line());
    }

    /** This listener, with {@code action} run at the start of the measurement. */
    default ProgressListener whenMeasuring(Runnable action) {
        ProgressListener self = this;
        return new ProgressListener() {
            @Override
            public void onSecond(Progress progress) {
                self.onSecond(progress);
            }

            @Override
            public void onMeasurementStart() {
                self.onMeasurementStart();
                action.run();
            }
        };
    }
}
