package io.infergate.gateway.proxy;

import io.infergate.core.health.StallRule;
import io.infergate.core.request.RoutingRequest;
import io.infergate.core.retry.AdaptiveTimeout;
import io.infergate.core.retry.FirstByteTimeouts;

import java.time.Duration;
import java.util.Objects;

/**
 * Stall detection as configured: the {@link StallRule}, and the recent first-byte p99 of each pool and
 * request shape that its threshold scales. The p99 is taken over the last {@link #WINDOW} only (the
 * per-try timeout's minute would keep a cold start's slow first answers, or an old load spike, in the
 * figure for a minute and blunt detection meanwhile), from at least 100 first bytes: a pool getting fewer
 * than 10 requests a second of a shape is not watched, and its hung endpoints are left to the probes.
 *
 * <pre>{@code
 * StallDetection stalls = StallDetection.of(StallRule.DEFAULT);
 * long stallAfter = stalls.thresholdNanos("chat", routing, now);   // when an attempt is sent
 * stalls.firstByte("chat", routing, firstByteNanos, now);          // when its response head comes
 * }</pre>
 *
 * @param rule        when a silent endpoint is stalled
 * @param firstBytes  the recent first-byte latencies, per pool and request shape
 */
public record StallDetection(StallRule rule, FirstByteTimeouts firstBytes) {

    /** How far back the p99 looks. */
    public static final Duration WINDOW = Duration.ofSeconds(10);

    public StallDetection {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(firstBytes, "firstBytes");
    }

    /** {@code rule} applied to the p99 of the last {@link #WINDOW}, in one-second steps. */
    public static StallDetection of(StallRule rule) {
        return new StallDetection(rule, new FirstByteTimeouts(() ->
                AdaptiveTimeout.builder().window(WINDOW, (int) WINDOW.toSeconds()).build()));
    }

    /** The stall threshold of an attempt of {@code request} to {@code pool} sent now, or {@link StallRule#UNWATCHED}. */
    long thresholdNanos(String pool, RoutingRequest request, long nowNanos) {
        return rule.thresholdNanos(firstBytes.percentileNanos(pool, request, nowNanos));
    }

    /** An attempt of {@code request} to {@code pool} got its response head {@code firstByteNanos} after it was sent. */
    void firstByte(String pool, RoutingRequest request, long firstByteNanos, long nowNanos) {
        firstBytes.record(pool, request, firstByteNanos, nowNanos);
    }
}
