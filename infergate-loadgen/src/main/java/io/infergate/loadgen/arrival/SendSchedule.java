package io.infergate.loadgen.arrival;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The intended send times of a run, computed ahead of the sending and never from answers: this is what
 * makes the load generator open-loop. Pure and deterministic for a given random generator.
 *
 * <pre>{@code
 * SendSchedule schedule = new SendSchedule(ArrivalProcess.poisson(100), Duration.ofSeconds(10), 500,
 *         new SplittableRandom(42));
 * for (long at = schedule.next(); at >= 0; at = schedule.next()) {
 *     // send a request at start + at nanoseconds
 * }
 * }</pre>
 */
public final class SendSchedule {

    private static final double NANOS_PER_SECOND = 1e9;

    private final ArrivalProcess arrival;
    private final long durationNanos;
    private final long maxRequests;
    private final RandomGenerator random;
    private long nextNanos;
    private long issued;

    /**
     * @param arrival     rate profile and spacing
     * @param duration    no request is intended at or after this offset
     * @param maxRequests no more than this many requests
     * @param random      source of Poisson gaps
     */
    public SendSchedule(ArrivalProcess arrival, Duration duration, long maxRequests, RandomGenerator random) {
        this.arrival = Objects.requireNonNull(arrival, "arrival");
        this.random = Objects.requireNonNull(random, "random");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration: " + duration + " (expected: > 0)");
        }
        if (maxRequests < 0) {
            throw new IllegalArgumentException("maxRequests: " + maxRequests + " (expected: >= 0)");
        }
        this.durationNanos = duration.toNanos();
        this.maxRequests = maxRequests;
        this.nextNanos = nanos(arrival.profile().nextActiveSecond(0));
        if (arrival.spacing() == Spacing.POISSON) {
            this.nextNanos = advance(nextNanos);
        }
    }

    /** The next intended send time in nanoseconds from the start of the run, or -1 when the run is over. */
    public long next() {
        if (issued >= maxRequests || nextNanos >= durationNanos) {
            return -1;
        }
        long at = nextNanos;
        issued++;
        nextNanos = advance(nextNanos);
        return at;
    }

    /** Whether the schedule ended because it reached its request count rather than its duration. */
    public boolean stoppedByCount() {
        return issued >= maxRequests;
    }

    /** The send time after {@code from}, in whole nanoseconds so that even spacing does not drift. */
    private long advance(long from) {
        RateProfile profile = arrival.profile();
        double at = profile.nextActiveSecond(from / NANOS_PER_SECOND);
        if (Double.isInfinite(at)) {
            return Long.MAX_VALUE;
        }
        double rate = profile.rateAt(at);
        double gapSeconds = switch (arrival.spacing()) {
            case CONSTANT -> 1 / rate;
            case POISSON -> -Math.log(1 - random.nextDouble()) / rate;
        };
        long next = Math.max(from, nanos(at)) + Math.max(1, Math.round(gapSeconds * NANOS_PER_SECOND));
        double nextSecond = next / NANOS_PER_SECOND;
        // a rate that falls to zero inside the gap ends the gap at the next active second
        return profile.rateAt(nextSecond) > 0 ? next : nanos(profile.nextActiveSecond(nextSecond));
    }

    private static long nanos(double seconds) {
        return Double.isInfinite(seconds) ? Long.MAX_VALUE : Math.round(seconds * NANOS_PER_SECOND);
    }
}
