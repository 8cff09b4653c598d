package io.infergate.loadgen.bench;

import io.infergate.loadgen.scenario.Scenario;

import java.util.Locale;
import java.util.Optional;

/**
 * The API key of the bench's {@code infergate-auth} and {@code infergate-redis} systems: the gateway's
 * config names one tenant whose key and tenant limits are far above any rate the bench reaches (so
 * every request pays for the key check and the limit checks and none is refused), and the load
 * generator sends the key as {@code Authorization: Bearer} on every request. The key is fixed, not a
 * secret: it guards a loopback gateway for the length of a run.
 *
 * <pre>{@code
 * String yaml = ProxyConfigs.infergate(...) + BenchApiKey.gatewayYaml(Optional.of("redis://127.0.0.1:6390"));
 * Scenario load = BenchApiKey.sentBy(SystemKind.INFERGATE_AUTH, scenario);
 * }</pre>
 */
public final class BenchApiKey {

    /** The key the load generator sends. */
    public static final String TOKEN = "ig-4so27cw5slhb_4KN5nRwtCD-U7w5WCkcf3XuIq6EUo1eDoRhU4O1ZK9w";
    /** Its stored form, as {@code ./infergate keys hash TOKEN} prints it (with another salt). */
    public static final String STORED = "sha256$4so27cw5slhb$03Tf_hSIzQ4jRYYTUB_SUQ$8OOW5XSxFcmjIFfrxf67f-rvkRNOEXBgKM-te4Mz97Q";
    /** Limits no bench rate comes near: per minute, and requests in flight. */
    private static final long PER_MINUTE = 1_000_000_000L;
    private static final int MAX_CONCURRENT = 1_000_000;

    private BenchApiKey() {
    }

    /**
     * The gateway's {@code tenants:} section, and with {@code redisUrl} its {@code rate_limits:} section
     * counting in that Redis (with a 1 s timeout, since the bench measures Redis, not the fallback).
     */
    public static String gatewayYaml(Optional<String> redisUrl) {
        String limits = String.format(Locale.ROOT, "{rpm: %d, tpm: %d, max_concurrent: %d}", PER_MINUTE, PER_MINUTE,
                MAX_CONCURRENT);
        return "tenants:\n"
                + "  - name: bench\n"
                + "    limits: " + limits + "\n"
                + "    keys: [{hash: \"" + STORED + "\", name: bench, limits: " + limits + "}]\n"
                + redisUrl.map(url -> "rate_limits: {backend: redis, redis: {url: \"" + url + "\", timeout_ms: 1000}}\n")
                .orElse("");
    }

    /** {@code load} with the key on every request class when {@code kind} asks for one; else {@code load}. */
    public static Scenario sentBy(SystemKind kind, Scenario load) {
        if (!kind.requiresApiKey()) {
            return load;
        }
        return load.withClasses(load.classes().stream().map(c -> c.toBuilder().apiKey(TOKEN).build()).toList());
    }
}
