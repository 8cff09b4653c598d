package io.infergate.gateway.config;

/**
 * Retries of requests whose connection failed before the first byte reached the client ({@code retry:}).
 *
 * @param maxAttempts attempts in all, the first included: 1 disables retries; default 3, at most 10.
 *                    Each retry goes to the next best endpoint.
 */
public record RetryConfig(int maxAttempts) {

    public static final RetryConfig DEFAULT = new RetryConfig(3);
}
