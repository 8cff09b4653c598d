package io.infergate.gateway;

import io.infergate.gateway.SecurityTest.TestKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.infergate.gateway.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Limits shared through a real {@code redis-server} (installed by {@code .ci/run}; skipped with a
 * message when absent): two gateways admit one key's limit together, not twice; when Redis stops they
 * go on under the local fallback without 5xx, and they return to Redis when it does.
 */
class RedisRateLimitTest {

    private static Path binary;

    @BeforeAll
    static void needsRedis() {
        binary = RedisServer.required("shared rate-limit");
    }

    static GatewayHarness gateway(RedisServer redis, TestKey key, String limits) {
        return GatewayHarness.builder().emulator(o -> o.defaultMaxTokens(10)).topLevel("""
                rate_limits: {backend: redis, redis: {url: "%s", timeout_ms: 200}, fallback: local}
                tenants:
                  - name: acme
                    keys: [{hash: "%s", limits: %s}]
                """.formatted(redis.url(), key.hash(), limits)).start();
    }

    private static int status(GatewayHarness harness, TestKey key, String body) throws Exception {
        return harness.http.send(HttpRequest.newBuilder(harness.url("/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("authorization", "Bearer " + key.key().token())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    @Test
    void twoGatewaysAdmitOneKeysRpmTogetherNotTwice() throws Exception {
        TestKey key = TestKey.generate();
        try (RedisServer redis = RedisServer.start(binary);
             GatewayHarness a = gateway(redis, key, "{rpm: 6}");
             GatewayHarness b = gateway(redis, key, "{rpm: 6}")) {
            awaitBackend(a, "redis");
            awaitBackend(b, "redis");
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                statuses.add(status(a, key, chat("a" + i, 1, false)));
                statuses.add(status(b, key, chat("b" + i, 1, false)));
            }

            assertThat(statuses.stream().filter(s -> s == 200)).hasSize(6);
            assertThat(statuses.stream().filter(s -> s == 429)).hasSize(6);
        }
    }

    @Test
    void twoGatewaysShareOneKeysTpmAndSettleIt() throws Exception {
        TestKey key = TestKey.generate();
        try (RedisServer redis = RedisServer.start(binary);
             GatewayHarness a = gateway(redis, key, "{tpm: 600}");
             GatewayHarness b = gateway(redis, key, "{tpm: 600}")) {
            awaitBackend(a, "redis");
            awaitBackend(b, "redis");
            // each reserves about 210 tokens (max_tokens 200) and uses the same, as the emulator reports
            assertThat(status(a, key, chat("a", 200, false))).isEqualTo(200);
            assertThat(status(b, key, chat("b", 200, false))).isEqualTo(200);
            assertThat(status(a, key, chat("c", 200, false))).isEqualTo(429);
            assertThat(status(b, key, chat("d", 200, false))).isEqualTo(429);
            // a stream reserving 150 and cut short by settlement: both replicas see what is left
            assertThat(status(b, key, chat("e", 100, true))).isEqualTo(200);
            assertThat(status(a, key, chat("f", 100, false))).isEqualTo(429);
        }
    }

    @Test
    void whenRedisStopsTheGatewayFallsBackLocallyAndReturnsToRedis() throws Exception {
        TestKey key = TestKey.generate();
        try (RedisServer redis = RedisServer.start(binary);
             GatewayHarness gateway = gateway(redis, key, "{rpm: 1000}")) {
            awaitBackend(gateway, "redis");
            assertThat(status(gateway, key, chat("before", 1, false))).isEqualTo(200);

            redis.stop();
            List<Integer> during = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                during.add(status(gateway, key, chat("during" + i, 1, false)));
            }

            assertThat(during).containsOnly(200);
            assertThat(SecurityTest.metrics(gateway)).contains("infergate_ratelimit_backend{state=\"fallback\"} 1.0");
            redis.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && !backendIs(gateway, "redis")) {
                assertThat(status(gateway, key, chat("after", 1, false))).isEqualTo(200);
                Thread.sleep(100);
            }
            assertThat(backendIs(gateway, "redis")).as("back on Redis within 20 s").isTrue();
        }
    }

    static boolean backendIs(GatewayHarness harness, String state) throws Exception {
        return SecurityTest.metrics(harness).contains("infergate_ratelimit_backend{state=\"" + state + "\"} 1.0");
    }

    static void awaitBackend(GatewayHarness harness, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && !backendIs(harness, state)) {
            Thread.sleep(20);
        }
        assertThat(backendIs(harness, state)).as("rate-limit backend " + state).isTrue();
    }
}
