package io.infergate.loadgen.scenario;

import java.time.Duration;
import java.util.Optional;

/**
 * The latency objective of a request class, for goodput: a request is good when it succeeded and met
 * every bound that is set. Latencies are measured from the intended send time.
 *
 * <pre>{@code
 * Slo slo = Slo.of(Duration.ofMillis(500), Duration.ofSeconds(10));   // TTFT and end-to-end
 * boolean good = slo.isMetBy(ttftNanos, latencyNanos);
 * }</pre>
 *
 * @param ttft    bound on the time to first token, if any
 * @param latency bound on the end-to-end latency, if any
 */
public record Slo(Optional<Duration> ttft, Optional<Duration> latency) {

    /** No bound: every successful request is good. */
    public static final Slo NONE = new Slo(Optional.empty(), Optional.empty());

    public Slo {
        ttft.ifPresent(d -> requirePositive("ttft", d));
        latency.ifPresent(d -> requirePositive("latency", d));
    }

    /** An objective on TTFT and end-to-end latency; either may be null for "no bound". */
    public static Slo of(Duration ttft, Duration latency) {
        return new Slo(Optional.ofNullable(ttft), Optional.ofNullable(latency));
    }

    public boolean isMetBy(long ttftNanos, long latencyNanos) {
        return ttft.map(d -> ttftNanos <= d.toNanos()).orElse(true)
                && latency.map(d -> latencyNanos <= d.toNanos()).orElse(true);
    }

    private static void requirePositive(String name, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("slo." + name + ": " + d + " (expected: > 0)");
        }
    }
}
