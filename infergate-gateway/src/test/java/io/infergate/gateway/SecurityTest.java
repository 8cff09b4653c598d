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
import java.util.concurrent.CompletableFuture;

import static io.infergate.gateway.ErrorPathsTest.assertError;
import static io.infergate.gateway.ErrorPathsTest.message;
import static io.infergate.gateway.GatewayHarness.MODEL;
import static io.infergate.gateway.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * API keys and per-minute limits over real sockets: each way a request is turned away is checked by
 * status, headers and body, and so are the rate-limit headers of a served request and the settlement
 * of tokens against the usage the endpoint reports.
 */
class SecurityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key for a config file: its token for the client, its stored form for the file. */
    record TestKey(ApiKey key, String hash) {
        static TestKey generate() {
            ApiKey key = ApiKey.generate(RANDOM);
            return new TestKey(key, KeyHash.of(key, RANDOM).toString());
        }
    }

    private static GatewayHarness gateway(String tenantsYaml) {
        return GatewayHarness.builder().emulator(o -> o.defaultMaxTokens(10)).topLevel(tenantsYaml).start();
    }

    private static String tenant(TestKey key, String keyExtras, String tenantExtras) {
        return """
                tenants:
                  - name: acme
                    %s
                    keys:
                      - {hash: "%s"%s}
                  - name: other
                    keys: [{hash: "%s"}]
                """.formatted(tenantExtras, key.hash(), keyExtras, TestKey.generate().hash());
    }

    private static HttpResponse<String> call(GatewayHarness harness, String authorization, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(harness.url("/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("authorization", authorization);
        }
        return harness.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String bearer(TestKey key) {
        return "Bearer " + key.key().token();
    }

    @Test
    void aMissingKeyIs401InOpenAiShape() throws Exception {
        try (GatewayHarness harness = gateway(tenant(TestKey.generate(), "", ""))) {
            HttpResponse<String> response = call(harness, null, chat("hi", 2, false));

            assertError(response, 401, "invalid_request_error");
            assertThat(code(response)).isEqualTo("missing_api_key");
            assertThat(message(response)).contains("Authorization: Bearer");
            assertThat(response.headers().firstValue("www-authenticate")).hasValue("Bearer");
        }
    }

    @Test
    void aWrongOrMalformedKeyIs401WithoutEchoingIt() throws Exception {
        TestKey key = TestKey.generate();
        String forged = key.key().token().substring(0, key.key().token().length() - 4) + "AAAA";
        try (GatewayHarness harness = gateway(tenant(key, "", ""))) {
            for (String authorization : new String[]{"Bearer " + forged, "Bearer sk-not-ours", "Basic abc",
                    "Bearer " + TestKey.generate().key().token()}) {
                HttpResponse<String> response = call(harness, authorization, chat("hi", 2, false));

                assertError(response, 401, "invalid_request_error");
                assertThat(code(response)).isEqualTo("invalid_api_key");
                assertThat(response.body()).doesNotContain(authorization.substring(7));
            }
            assertThat(metrics(harness)).contains("infergate_auth_failures_total{reason=\"invalid_api_key\"} 4.0");
        }
    }

    @Test
    void aValidKeyIsServedWithRateLimitHeaders() throws Exception {
        TestKey key = TestKey.generate();
        try (GatewayHarness harness = gateway(tenant(key, ", limits: {rpm: 60, tpm: 60000}", ""))) {
            HttpResponse<String> response = call(harness, bearer(key), chat("hi", 2, false));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("x-ratelimit-limit-requests")).hasValue("60");
            assertThat(response.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("59");
            assertThat(response.headers().firstValue("x-ratelimit-reset-requests")).hasValue("1s");
            assertThat(response.headers().firstValue("x-ratelimit-limit-tokens")).hasValue("60000");
            assertThat(response.headers().firstValue("x-ratelimit-remaining-tokens")).isPresent();
            assertThat(JSON.readTree(response.body()).path("usage").path("completion_tokens").asInt()).isEqualTo(2);
        }
    }

    @Test
    void aModelTheKeyMayNotCallIs403() throws Exception {
        TestKey key = TestKey.generate();
        try (GatewayHarness harness = gateway(tenant(key, ", models: [" + MODEL + "]", "models: [" + MODEL + ", gpt-x]"))) {
            HttpResponse<String> response = call(harness, bearer(key),
                    "{\"model\":\"gpt-x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

            assertError(response, 403, "permission_error");
            assertThat(code(response)).isEqualTo("model_not_allowed");
            assertThat(message(response)).contains("'gpt-x'").contains(key.key().id()).contains(MODEL);
        }
    }

    @Test
    void requestsOverTheKeysRpmAre429WithRetryAfterAndHeaders() throws Exception {
        TestKey key = TestKey.generate();
        try (GatewayHarness harness = gateway(tenant(key, ", limits: {rpm: 2}", ""))) {
            assertThat(call(harness, bearer(key), chat("a", 2, false)).statusCode()).isEqualTo(200);
            assertThat(call(harness, bearer(key), chat("b", 2, false)).statusCode()).isEqualTo(200);

            HttpResponse<String> response = call(harness, bearer(key), chat("c", 2, false));

            assertError(response, 429, "rate_limit_error");
            assertThat(code(response)).isEqualTo("rate_limit_exceeded");
            assertThat(message(response)).contains("API key '" + key.key().id() + "'").contains("2 requests per minute");
            assertThat(response.headers().firstValue("retry-after")).hasValueSatisfying(
                    seconds -> assertThat(Integer.parseInt(seconds)).isBetween(29, 30));
            assertThat(response.headers().firstValue("x-ratelimit-limit-requests")).hasValue("2");
            assertThat(response.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
            assertThat(metrics(harness)).contains(
                    "infergate_ratelimit_rejected_total{limit=\"requests\",scope=\"key\"} 1.0");
        }
    }

    @Test
    void theTenantsLimitCountsAllItsKeysTogether() throws Exception {
        TestKey first = TestKey.generate();
        TestKey second = TestKey.generate();
        String yaml = """
                tenants:
                  - name: acme
                    limits: {rpm: 1}
                    keys: [{hash: "%s"}, {hash: "%s"}]
                """.formatted(first.hash(), second.hash());
        try (GatewayHarness harness = gateway(yaml)) {
            assertThat(call(harness, bearer(first), chat("a", 2, false)).statusCode()).isEqualTo(200);

            HttpResponse<String> response = call(harness, bearer(second), chat("b", 2, false));

            assertError(response, 429, "rate_limit_error");
            assertThat(message(response)).contains("tenant 'acme'");
        }
    }

    @Test
    void tokensAreReservedThenSettledToTheReportedUsage() throws Exception {
        TestKey key = TestKey.generate();
        try (GatewayHarness harness = gateway(tenant(key, ", limits: {tpm: 6000}", ""))) {
            String noMaxTokens = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            long reserve = (noMaxTokens.length() - noMaxTokens.indexOf("[{") + 2) / 4 + 256;

            HttpResponse<String> first = call(harness, bearer(key), noMaxTokens);
            long used = JSON.readTree(first.body()).path("usage").path("total_tokens").asLong();
            assertThat(remainingTokens(first)).isBetween(6000 - reserve - 5, 6000 - reserve);
            HttpResponse<String> second = call(harness, bearer(key), noMaxTokens);

            // settled: the first request counts what it used (about 10 tokens), not the 256 reserved
            assertThat(used).isLessThan(50);
            assertThat(remainingTokens(second)).isBetween(6000 - used - reserve - 5, 6000 - used - reserve + 100);
        }
    }

    @Test
    void aStreamWithoutUsageIsSettledByItsEvents() throws Exception {
        TestKey key = TestKey.generate();
        try (GatewayHarness harness = gateway(tenant(key, ", limits: {tpm: 6000}", ""))) {
            HttpResponse<String> first = call(harness, bearer(key), chat("hi", 500, true));
            long reserved = 6000 - remainingTokens(first);
            HttpResponse<String> second = call(harness, bearer(key), chat("hi", 1, false));

            long events = first.body().lines().filter(line -> line.startsWith("data: {")).count();
            assertThat(events).isGreaterThan(400);
            long secondReserve = reserved - 500 + 1;
            long settledFirst = 6000 - remainingTokens(second) - secondReserve;
            assertThat(settledFirst).isBetween(reserved - 500 + events - 100, reserved - 500 + events + 5);
        }
    }

    @Test
    void concurrentRequestsOverTheKeysLimitAre429() throws Exception {
        TestKey key = TestKey.generate();
        try (GatewayHarness harness = GatewayHarness.builder().emulator(o -> o.decodeStepMillis(2000).speed(1))
                .topLevel(tenant(key, ", limits: {max_concurrent: 1}", "")).start()) {
            CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return call(harness, bearer(key), chat("slow", 1, false));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitMetric(harness, "infergate_endpoint_in_flight{endpoint=\"ep0\"");

            HttpResponse<String> response = call(harness, bearer(key), chat("second", 1, false));

            assertError(response, 429, "rate_limit_error");
            assertThat(message(response)).contains("concurrent").contains("limit 1");
            assertThat(response.headers().firstValue("retry-after")).hasValue("1");
            assertThat(slow.join().statusCode()).isEqualTo(200);
            // the gateway frees the key's place when the answer's last byte is written, which the client may
            // read a moment before: a leaked place would refuse every later call, a late one only the first
            assertThat(callUntilNot429(harness, bearer(key), chat("third", 1, false)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aPriorityAboveTheKeysMaximumIsLoweredToIt() throws Exception {
        TestKey key = TestKey.generate();
        try (GatewayHarness harness = gateway(tenant(key, ", max_priority: standard", ""))) {
            HttpResponse<String> response = harness.http.send(HttpRequest.newBuilder(harness.url("/v1/chat/completions"))
                    .header("authorization", bearer(key)).header("x-infergate-priority", "critical")
                    .header("x-infergate-tenant", "other")
                    .POST(HttpRequest.BodyPublishers.ofString(chat("hi", 2, false))).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(metrics(harness)).contains("infergate_flow_dispatched_total{class=\"standard\",tenant=\"acme\"} 1.0")
                    .doesNotContain("class=\"critical\",tenant");
        }
    }

    @Test
    void keysAreCreatedListedAndRevokedThroughTheAdminApiWithoutRestart() throws Exception {
        try (GatewayHarness harness = gateway(tenant(TestKey.generate(), "", ""))) {
            HttpResponse<String> created = admin(harness, "POST", "/admin/keys",
                    "{\"tenant\":\"acme\",\"name\":\"ci\",\"limits\":{\"rpm\":5}}");
            assertThat(created.statusCode()).isEqualTo(201);
            JsonNode body = JSON.readTree(created.body());
            String token = body.path("key").asText();
            String id = body.path("id").asText();
            assertThat(token).startsWith("ig-" + id + "_");

            HttpResponse<String> served = call(harness, "Bearer " + token, chat("hi", 2, false));
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("4");

            HttpResponse<String> listed = admin(harness, "GET", "/admin/keys", null);
            assertThat(listed.body()).contains("\"id\":\"" + id + "\"").contains("\"source\":\"runtime\"")
                    .doesNotContain(token.substring(16)).doesNotContain("sha256$");

            assertThat(admin(harness, "DELETE", "/admin/keys/" + id, null).statusCode()).isEqualTo(200);
            assertError(call(harness, "Bearer " + token, chat("hi", 2, false)), 401, "invalid_request_error");
            HttpResponse<String> again = admin(harness, "DELETE", "/admin/keys/" + id, null);
            assertError(again, 404, "invalid_request_error");
        }
    }

    @Test
    void aCreateRequestNamingAnUnknownTenantOrClassIs400() throws Exception {
        try (GatewayHarness harness = gateway(tenant(TestKey.generate(), "", ""))) {
            HttpResponse<String> tenant = admin(harness, "POST", "/admin/keys", "{\"tenant\":\"nobody\"}");
            assertError(tenant, 400, "invalid_request_error");
            assertThat(message(tenant)).contains("tenant: 'nobody'");

            HttpResponse<String> priority = admin(harness, "POST", "/admin/keys",
                    "{\"tenant\":\"acme\",\"priority\":\"urgent\"}");
            assertError(priority, 400, "invalid_request_error");
            assertThat(message(priority)).contains("priority: 'urgent'").contains("critical, standard, sheddable");

            HttpResponse<String> limits = admin(harness, "POST", "/admin/keys",
                    "{\"tenant\":\"acme\",\"limits\":{\"rpm\":-1}}");
            assertThat(message(limits)).contains("limits.rpm: -1");
        }
    }

    @Test
    void withoutKeysTheGatewayIsOpenAndRefusesToCreateKeys() throws Exception {
        try (GatewayHarness harness = gateway("")) {
            assertThat(call(harness, null, chat("hi", 2, false)).statusCode()).isEqualTo(200);

            HttpResponse<String> created = admin(harness, "POST", "/admin/keys", "{\"tenant\":\"acme\"}");

            assertError(created, 409, "invalid_request_error");
            assertThat(message(created)).contains("API keys are off");
        }
    }

    private static long remainingTokens(HttpResponse<String> response) {
        return Long.parseLong(response.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
    }

    static HttpResponse<String> admin(GatewayHarness harness, String method, String path, String body)
            throws Exception {
        return harness.http.send(HttpRequest.newBuilder(harness.adminUrl(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String code(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("error").path("code").asText();
    }

    static String metrics(GatewayHarness harness) throws Exception {
        return harness.get(harness.adminUrl("/metrics")).body();
    }

    /** Calls again while answered 429, for up to a second. */
    private static HttpResponse<String> callUntilNot429(GatewayHarness harness, String authorization, String json)
            throws Exception {
        long deadline = System.nanoTime() + 1_000_000_000L;
        HttpResponse<String> response = call(harness, authorization, json);
        while (response.statusCode() == 429 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            response = call(harness, authorization, json);
        }
        return response;
    }

    private static void awaitMetric(GatewayHarness harness, String prefix) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (metrics(harness).lines().anyMatch(line -> line.startsWith(prefix) && line.endsWith(" 1.0"))) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no metric line " + prefix + "... 1.0 within 10 s");
    }
}
