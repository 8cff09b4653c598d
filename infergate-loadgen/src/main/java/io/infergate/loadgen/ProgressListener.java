package io.infergate.loadgen;

import java.io.PrintStream;

/**
 * Receives a load run's {@link Progress} once a second, on a thread of its own.
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

    /** Prints {@link Progress#line()} to {@code out}, each line after {@code prefix}. */
    static ProgressListener printingTo(PrintStream out, String prefix) {
        return progress -> out.println(prefix + progress.line());
    }
}
