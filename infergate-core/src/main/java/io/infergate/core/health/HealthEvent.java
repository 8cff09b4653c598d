package io.infergate.core.health;

import java.util.Objects;

/**
 * A change of an endpoint's health, reported by {@link OutlierDetector} to its listener as it
 * happens: the gateway marks the endpoint unhealthy or healthy in its fleet snapshot, logs the event
 * and counts it.
 *
 * <pre>{@code
 * OutlierDetector detector = OutlierDetector.builder().listener(event -> {
 *     switch (event) {
 *         case HealthEvent.Ejected ejected -> fleet.markHealthy(ejected.endpointId(), false);
 *         case HealthEvent.Readmitted readmitted -> fleet.markHealthy(readmitted.endpointId(), true);
 *     }
 * }).build();
 * }</pre>
 */
public sealed interface HealthEvent {

    String endpointId();

    String pool();

    /** {@link io.infergate.core.time.Ticker} time of the change. */
    long atNanos();

    /**
     * The endpoint no longer gets requests.
     *
     * @param cause      what tripped the ejection
     * @param ejections  how many times in a row it has been ejected, this one included; sets the backoff
     * @param untilNanos when the backoff ends and the endpoint is re-admitted, unless it is
     *                   {@linkplain EndpointHealth#awaitingProbe() awaiting a probe}
     */
    record Ejected(String endpointId, String pool, long atNanos, EjectionCause cause, int ejections, long untilNanos)
            implements HealthEvent {
        public Ejected {
            Objects.requireNonNull(endpointId, "endpointId");
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(cause, "cause");
        }
    }

    /**
     * The endpoint gets requests again, starting with a slow start (see {@link OutlierDetector#slowStarts}).
     *
     * @param byProbe true when a passing probe ended the ejection, false when its backoff ran out
     */
    record Readmitted(String endpointId, String pool, long atNanos, boolean byProbe) implements HealthEvent {
        public Readmitted {
            Objects.requireNonNull(endpointId, "endpointId");
            Objects.requireNonNull(pool, "pool");
        }
    }
}
