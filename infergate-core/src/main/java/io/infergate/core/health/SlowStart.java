package io.infergate.core.health;

import java.util.Objects;

/**
 * An endpoint re-admitted after an ejection, eased back into traffic: its weight grows linearly from
 * 0 at {@code startNanos} to 1 at {@code startNanos + durationNanos}. The load-aware scheduler
 * multiplies the endpoint's total score by the weight, so at first it wins only against much busier
 * endpoints and then takes its full share.
 *
 * <pre>{@code
 * for (SlowStart ramp : detector.slowStarts()) {
 *     double weight = ramp.weight(ticker.read());   // 0..1
 * }
 * }</pre>
 *
 * @param endpointId    the endpoint re-admitted
 * @param startNanos    {@link io.infergate.core.time.Ticker} time of the re-admission
 * @param durationNanos how long the ramp lasts, {@code > 0}
 */
public record SlowStart(String endpointId, long startNanos, long durationNanos) {

    public SlowStart {
        Objects.requireNonNull(endpointId, "endpointId");
        if (durationNanos <= 0) {
            throw new IllegalArgumentException("durationNanos: " + durationNanos + " (expected: > 0)");
        }
    }

    /** The endpoint's weight at {@code nowNanos}: 0 at the start, 1 once the ramp is over. */
    public double weight(long nowNanos) {
        long elapsed = nowNanos - startNanos;
        if (elapsed <= 0) {
            return 0;
        }
        return elapsed >= durationNanos ? 1 : (double) elapsed / durationNanos;
    }

    /** Whether the ramp has reached weight 1 at {@code nowNanos}. */
    public boolean over(long nowNanos) {
        return nowNanos - startNanos >= durationNanos;
    }
}
