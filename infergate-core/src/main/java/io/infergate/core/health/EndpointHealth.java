package io.infergate.core.health;

/**
 * What an {@link OutlierDetector} knows of one endpoint at one moment; for the admin API and logs.
 *
 * @param endpointId      the endpoint
 * @param pool            its pool, within which ejections are capped and latency compared
 * @param ejected         whether it is ejected now
 * @param cause           why it is ejected, or {@code null} when it is not
 * @param ejectedUntilNanos when its backoff ends, or {@link Long#MIN_VALUE} when it is not ejected
 * @param awaitingProbe   whether a failed probe holds it out until a probe passes, whatever the backoff
 * @param ejections       how many times in a row it has been ejected (decays while it stays healthy)
 * @param slowStartWeight its weight now: 0 when ejected, rising to 1 after a re-admission, else 1
 * @param requests        requests in the recent window
 * @param failures        failed requests in the recent window
 * @param meanLatencyNanos mean latency in the recent window, or -1 without samples
 */
public record EndpointHealth(
        String endpointId,
        String pool,
        boolean ejected,
        EjectionCause cause,
        long ejectedUntilNanos,
        boolean awaitingProbe,
        int ejections,
        double slowStartWeight,
        int requests,
        int failures,
        double meanLatencyNanos) {
}
