package io.infergate.gateway.config;

/**
 * Limits on what a client may send ({@code limits:}).
 *
 * @param maxBodyBytes largest request body accepted; larger ones are answered 413. Default 10 MiB.
 */
public record LimitsConfig(long maxBodyBytes) {

    public static final LimitsConfig DEFAULT = new LimitsConfig(10L * 1024 * 1024);
}
