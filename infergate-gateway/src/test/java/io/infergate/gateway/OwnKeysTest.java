package io.infergate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.gateway.security.ApiKey;
import io.infergate.gateway.security.KeyHash;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

import static io.infergate.gateway.ErrorPathsTest.assertError;
import static io.infergate.gateway.ErrorPathsTest.message;
import static io.infergate.gateway.GatewayHarness.chat;
import static io.infergate.gateway.SecurityTest.admin;
import static io.infergate.gateway.SecurityTest.code;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys users already have, over real sockets: a key of the user's own in the config file or added
 * through the admin API is accepted as {@code Authorization: Bearer <key>} like a minted one; a key the
 * gateway knows already is a 409, a bad one a 400 saying what is wrong with it; no answer repeats it.
 */
class OwnKeysTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key as another gateway would have minted it: a prefix and 32 random bytes. */
    private static String ownKey() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return "sk-live-" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private static GatewayHarness gatewayWithKeyOfItsOwn(String configKey) {
        return GatewayHarness.builder().emulator(o -> o.defaultMaxTokens(10)).topLevel("""
                tenants:
                  - name: acme
                    keys: [{hash: "%s", name: migrated}]
                  - name: other
                    keys: [{hash: "%s"}]
                """.formatted(KeyHash.of(ApiKey.of(configKey), RANDOM),
                KeyHash.of(ApiKey.generate(RANDOM), RANDOM))).start();
    }

    private static HttpResponse<String> call(GatewayHarness harness, String key) throws Exception {
        return harness.http.send(HttpRequest.newBuilder(harness.url("/v1/chat/completions")).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(chat("hi", 2, false))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String createBody(String tenant, String key) {
        return JSON.createObjectNode().put("tenant", tenant).put("key", key).put("name", "from-old-gateway")
                .set("limits", JSON.createObjectNode().put("rpm", 5)).toString();
    }

    @Test
    void aKeyOfTheUsersOwnInTheConfigFileIsAccepted() throws Exception {
        String key = ownKey();
        try (GatewayHarness harness = gatewayWithKeyOfItsOwn(key)) {
            assertThat(call(harness, key).statusCode()).isEqualTo(200);

            String forged = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");
            HttpResponse<String> refused = call(harness, forged);
            assertError(refused, 401, "invalid_request_error");
            assertThat(code(refused)).isEqualTo("invalid_api_key");
            assertThat(refused.body()).doesNotContain(forged.substring(8));
        }
    }

    @Test
    void aKeyOfTheUsersOwnAddedThroughTheAdminApiWorksAtOnceAndIsNeverShown() throws Exception {
        String configKey = ownKey();
        String key = ownKey();
        try (GatewayHarness harness = gatewayWithKeyOfItsOwn(configKey)) {
            HttpResponse<String> added = admin(harness, "POST", "/admin/keys", createBody("acme", key));

            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            JsonNode body = JSON.readTree(added.body());
            assertThat(body.path("id").asText()).isEqualTo(ApiKey.of(key).id());
            assertThat(body.has("key")).isFalse();
            assertThat(added.body()).doesNotContain(key.substring(8));
            HttpResponse<String> served = call(harness, key);
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("4");
            assertThat(admin(harness, "GET", "/admin/keys", null).body())
                    .contains("\"id\":\"" + ApiKey.of(key).id() + "\"").doesNotContain(key.substring(8));

            for (String known : new String[]{key, configKey}) {
                HttpResponse<String> again = admin(harness, "POST", "/admin/keys", createBody("other", known));
                assertError(again, 409, "invalid_request_error");
                assertThat(code(again)).isEqualTo("key_exists");
                assertThat(message(again)).contains(ApiKey.of(known).id());
                assertThat(again.body()).doesNotContain(known.substring(8));
            }

            assertThat(admin(harness, "DELETE", "/admin/keys/" + ApiKey.of(key).id(), null).statusCode()).isEqualTo(200);
            assertThat(call(harness, key).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aBadKeyIs400SayingWhatIsWrongWithoutRepeatingIt() throws Exception {
        String secret = "Zq8vLk2Wm4TnZq8vLk2Wm4Tn";
        try (GatewayHarness harness = gatewayWithKeyOfItsOwn(ownKey())) {
            assertRefused(harness, createBody("acme", secret), "key: expected 32 to 512 characters, found 24");
            assertRefused(harness, createBody("acme", secret + " " + secret), "key: character 25 of 49 is a space");
            assertRefused(harness, createBody("acme", secret + "\t" + secret), "key: character 25 of 49 is a tab");
            assertRefused(harness, createBody("acme", secret + "\u00e9" + secret), "key: character 25 of 49 is not ASCII");
            assertRefused(harness, "{\"tenant\":\"acme\",\"key\":[\"" + secret + secret + "\"]}",
                    "key: expected a string (a key you already have), found a JSON array");
            assertRefused(harness, "{\"tenant\":\"acme\",\"key\":" + secret + secret + "}",
                    "malformed JSON at line 1, column");

            assertThat(admin(harness, "GET", "/admin/keys", null).body()).doesNotContain("\"source\":\"runtime\"");
        }
    }

    private static void assertRefused(GatewayHarness harness, String body, String reason) throws Exception {
        HttpResponse<String> response = admin(harness, "POST", "/admin/keys", body);

        assertError(response, 400, "invalid_request_error");
        assertThat(message(response)).contains(reason);
        assertThat(response.body()).doesNotContain("Zq8vLk2Wm4Tn");
    }
}
