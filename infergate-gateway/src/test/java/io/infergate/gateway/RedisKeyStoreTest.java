package io.infergate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.gateway.SecurityTest.TestKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static io.infergate.gateway.GatewayHarness.chat;
import static io.infergate.gateway.RedisRateLimitTest.awaitBackend;
import static io.infergate.gateway.RedisRateLimitTest.gateway;
import static io.infergate.gateway.SecurityTest.admin;
import static io.infergate.gateway.SecurityTest.code;
import static io.infergate.gateway.SecurityTest.metrics;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * API keys created through the admin API of one gateway, kept in a real {@code redis-server} (skipped
 * with a message when absent): another replica accepts them at once, a revocation on one replica holds
 * on the others within the refresh bound, a restarted replica still knows them, a key of the user's own
 * added on one replica works on another, which answers 409 to adding it again, and while Redis is down
 * cached keys keep working and creating one answers 503.
 */
class RedisKeyStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The store's refresh interval (1 s) plus room for a loaded machine. */
    private static final Duration REVOCATION_BOUND = Duration.ofSeconds(3);
    private static Path binary;

    @BeforeAll
    static void needsRedis() {
        binary = RedisServer.required("shared key-store");
    }

    private static int status(GatewayHarness harness, String token) throws Exception {
        return harness.http.send(HttpRequest.newBuilder(harness.url("/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(chat("hi", 2, false))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static JsonNode create(GatewayHarness harness) throws Exception {
        HttpResponse<String> created = admin(harness, "POST", "/admin/keys", "{\"tenant\":\"acme\",\"name\":\"shared\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body());
    }

    private static void awaitKeyStore(GatewayHarness harness, String value) throws Exception {
        String line = "infergate_key_store_up{store=\"redis\"} " + value;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && !metrics(harness).contains(line)) {
            Thread.sleep(20);
        }
        assertThat(metrics(harness)).contains(line);
    }

    @Test
    void aKeyCreatedOnOneReplicaWorksOnAnotherRevocationReachesBothAndARestartKeepsIt() throws Exception {
        TestKey configured = TestKey.generate();
        try (RedisServer redis = RedisServer.start(binary);
             GatewayHarness b = gateway(redis, configured, "{rpm: 1000}")) {
            GatewayHarness a = gateway(redis, configured, "{rpm: 1000}");
            try {
                awaitKeyStore(a, "1.0");
                JsonNode created = create(a);
                String token = created.path("key").asText();
                String id = created.path("id").asText();

                assertThat(status(b, token)).as("created on A, used on B").isEqualTo(200);
                assertThat(admin(b, "GET", "/admin/keys", null).body()).contains("\"id\":\"" + id + "\"")
                        .doesNotContain(token.substring(16));

                a.close();
                a = gateway(redis, configured, "{rpm: 1000}");
                assertThat(status(a, token)).as("A restarted").isEqualTo(200);

                assertThat(admin(b, "DELETE", "/admin/keys/" + id, null).statusCode()).isEqualTo(200);
                assertThat(status(b, token)).as("revoked on B, used on B").isEqualTo(401);
                long revoked = System.nanoTime();
                while (status(a, token) != 401) {
                    assertThat(Duration.ofNanos(System.nanoTime() - revoked)).as("revocation reaching A")
                            .isLessThan(REVOCATION_BOUND);
                    Thread.sleep(50);
                }
            } finally {
                a.close();
            }
        }
    }

    @Test
    void aKeyOfTheUsersOwnAddedOnOneReplicaWorksOnAnotherWhichKnowsItAlready() throws Exception {
        TestKey configured = TestKey.generate();
        String own = "sk-live-4fJx9QmZ2rT8wLp0Vb6NcY3hKd7GsE1uAo5Ri";
        String body = "{\"tenant\":\"acme\",\"key\":\"" + own + "\"}";
        try (RedisServer redis = RedisServer.start(binary);
             GatewayHarness a = gateway(redis, configured, "{rpm: 1000}");
             GatewayHarness b = gateway(redis, configured, "{rpm: 1000}")) {
            awaitKeyStore(a, "1.0");
            awaitKeyStore(b, "1.0");

            assertThat(admin(a, "POST", "/admin/keys", body).statusCode()).isEqualTo(201);

            assertThat(status(b, own)).as("added on A, used on B").isEqualTo(200);
            HttpResponse<String> again = admin(b, "POST", "/admin/keys", body);
            assertThat(again.statusCode()).isEqualTo(409);
            assertThat(code(again)).isEqualTo("key_exists");
        }
    }

    @Test
    void whileRedisIsDownCachedKeysWorkAndCreatingAKeyIs503() throws Exception {
        TestKey configured = TestKey.generate();
        try (RedisServer redis = RedisServer.start(binary);
             GatewayHarness gateway = gateway(redis, configured, "{rpm: 1000}")) {
            awaitBackend(gateway, "redis");
            awaitKeyStore(gateway, "1.0");
            String token = create(gateway).path("key").asText();
            assertThat(status(gateway, token)).isEqualTo(200);

            redis.stop();
            awaitKeyStore(gateway, "0.0");

            assertThat(status(gateway, token)).as("cached runtime key").isEqualTo(200);
            assertThat(status(gateway, configured.key().token())).as("key from the config file").isEqualTo(200);
            HttpResponse<String> refused = admin(gateway, "POST", "/admin/keys", "{\"tenant\":\"acme\"}");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(code(refused)).isEqualTo("key_store_unavailable");
            assertThat(refused.body()).contains("Redis at 127.0.0.1");
            assertThat(status(gateway, TestKey.generate().key().token())).as("an unknown key cannot be checked")
                    .isEqualTo(503);

            redis.start();
            awaitKeyStore(gateway, "1.0");
            assertThat(create(gateway).path("key").asText()).startsWith("ig-");
        }
    }
}
