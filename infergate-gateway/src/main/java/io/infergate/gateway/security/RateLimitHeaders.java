package io.infergate.gateway.security;

import io.infergate.core.limit.BucketStatus;
import io.infergate.core.limit.LimitKind;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The OpenAI-style rate-limit headers: {@code x-ratelimit-limit-requests},
 * {@code x-ratelimit-remaining-requests}, {@code x-ratelimit-reset-requests} and the {@code -tokens}
 * variants. When a request is counted in several buckets of a kind (its key's and its tenant's), the
 * one with the least remaining speaks. Resets are durations as OpenAI writes them: {@code 120ms},
 * {@code 1.5s}, {@code 6m0s}.
 *
 * <pre>{@code
 * RateLimitHeaders.of(decision.statuses()).forEach(response::putHeader);
 * }</pre>
 */
public final class RateLimitHeaders {

    private static final String PREFIX = "x-ratelimit-";

    private RateLimitHeaders() {
    }

    public static Map<String, String> of(List<BucketStatus> statuses) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (LimitKind kind : LimitKind.values()) {
            BucketStatus tightest = null;
            for (BucketStatus status : statuses) {
                if (status.kind() == kind && (tightest == null || status.remaining() < tightest.remaining())) {
                    tightest = status;
                }
            }
            if (tightest != null) {
                headers.put(PREFIX + "limit-" + kind.label(), Long.toString(tightest.limit()));
                headers.put(PREFIX + "remaining-" + kind.label(), Long.toString(tightest.remaining()));
                headers.put(PREFIX + "reset-" + kind.label(), duration(tightest.resetNanos()));
            }
        }
        return headers;
    }

    /** {@code 0s}, {@code 250ms}, {@code 1.5s}, {@code 6m0s}. */
    static String duration(long nanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos + 999_999);
        if (millis == 0) {
            return "0s";
        }
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            String seconds = Double.toString(millis / 1000.0);
            return (seconds.endsWith(".0") ? seconds.substring(0, seconds.length() - 2) : seconds) + "s";
        }
        return (millis / 60_000) + "m" + (millis % 60_000) / 1000 + "s";
    }

    /** Whole seconds for {@code Retry-After}, at least 1. */
    static int retryAfterSeconds(long nanos) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toSeconds(nanos + 999_999_999)));
    }
}
