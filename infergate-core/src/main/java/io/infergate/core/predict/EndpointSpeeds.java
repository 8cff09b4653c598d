package io.infergate.core.predict;

import java.util.Objects;

/**
 * An endpoint's speeds as the model believes them now: its prior times the factors learnt from
 * observations (1 = as the prior says, 3 = three times slower). A factor the endpoint has too few
 * observations of is the fleet's factor for it, so a new endpoint of a fleet that runs twice as fast
 * as the datasheets starts twice as fast too.
 *
 * @param prior         the starting speeds
 * @param prefillFactor how many times slower than the prior it prefills
 * @param decodeFactor  how many times slower than the prior its decode steps are
 * @param queueFactor   how many times longer than the queue model says its waiting requests wait
 * @param overheadNanos the fixed time a request takes besides its prefill and decode steps: the server's
 *                      request handling and scheduling, and the network between it and the gateway
 */
public record EndpointSpeeds(SpeedPrior prior, double prefillFactor, double decodeFactor, double queueFactor,
                             long overheadNanos) {

    /** The overhead is learnt as a factor of this time; an endpoint not yet seen is assumed to take it. */
    public static final long OVERHEAD_UNIT_NANOS = 1_000_000;

    public EndpointSpeeds {
        Objects.requireNonNull(prior, "prior");
    }

    /** Speeds exactly as {@code prior} says. */
    static EndpointSpeeds of(SpeedPrior prior) {
        return new EndpointSpeeds(prior, 1, 1, 1, OVERHEAD_UNIT_NANOS);
    }

    /** Time to prefill one prompt token. */
    public double prefillNanosPerToken() {
        return prior.prefillNanosPerToken() * prefillFactor;
    }

    /** Duration of one decode step with {@code batch} sequences running: each one's time per output token. */
    public double stepNanos(int batch) {
        return prior.stepNanos(batch) * decodeFactor;
    }

    /** Prompt tokens prefilled per second, for metrics. */
    public double prefillTokensPerSecond() {
        return 1e9 / prefillNanosPerToken();
    }

    /** Output tokens per second of a single stream running alone, for metrics. */
    public double decodeTokensPerSecond() {
        return 1e9 / stepNanos(1);
    }
}
