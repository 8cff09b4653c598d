package io.infergate.core.health;

/** Why an {@link OutlierDetector} ejected an endpoint. */
public enum EjectionCause {
    /** Too many failures in a row (connect errors, 5xx, timeouts). */
    CONSECUTIVE_FAILURES,
    /** Too large a share of failures among the requests of the recent window. */
    ERROR_RATE,
    /** Mean latency of the recent window far above the pool's median. */
    LATENCY,
    /** Active health probes failed in a row. */
    PROBE_FAILURES,
    /** Requests waited on it far longer than its pool needs, and it answered nothing meanwhile ({@link StallRule}). */
    STALLED
}
