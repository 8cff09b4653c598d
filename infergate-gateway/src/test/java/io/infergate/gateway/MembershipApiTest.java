package io.infergate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.emulator.EmulatorOptions;
import io.infergate.emulator.EmulatorServer;
import io.infergate.gateway.admin.PoolLoad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.infergate.gateway.GatewayHarness.MODEL;
import static io.infergate.gateway.GatewayHarness.chat;
import static io.infergate.gateway.ResilienceTest.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API's membership routes over real sockets: an endpoint added by POST serves, one deleted under
 * load finishes its stream and leaves, bad bodies are 400s naming the field, oversized or unreadable ones are
 * answered as soon as that is known, and a pool's load reads as an autoscaler needs it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MembershipApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anEndpointAddedThroughTheApiJoinsTheFleetAndServes() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(1).start()) {
            EmulatorServer extra = EmulatorServer.start(EmulatorOptions.builder().host("127.0.0.1").port(0).speed(20)
                    .models(List.of(MODEL)).build());
            harness.emulators.add(extra);

            HttpResponse<String> added = send(harness, "POST", "/admin/endpoints", "{\"pool\": \"test\", \"id\": \"ep9\","
                    + " \"url\": \"" + extra.url() + "\", \"region\": \"eu-west\", \"capacity\": \"preemptible\","
                    + " \"price_per_hour\": 0.8}");

            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            JsonNode endpoint = JSON.readTree(added.body()).path("endpoint");
            assertThat(endpoint.path("id").asText()).isEqualTo("ep9");
            assertThat(endpoint.path("pool").asText()).isEqualTo("test");
            assertThat(endpoint.path("models").toString()).isEqualTo("[\"" + MODEL + "\"]");
            assertThat(endpoint.path("capacity").asText()).isEqualTo("PREEMPTIBLE");
            assertThat(endpoint.path("pricePerHour").asDouble()).isEqualTo(0.8);
            awaitTrue(() -> !harness.endpoint(1).path("load").path("stale").asBoolean(true), "ep9 scraped");
            List<String> servedBy = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                servedBy.add(harness.post("/v1/chat/completions", chat("hi " + i, 2, false)).headers()
                        .firstValue("x-infergate-endpoint").orElseThrow());
            }
            assertThat(servedBy).contains("ep0", "ep9");

            HttpResponse<String> again = send(harness, "POST", "/admin/endpoints",
                    "{\"pool\": \"test\", \"id\": \"ep9\", \"url\": \"http://127.0.0.1:1\"}");
            assertThat(again.statusCode()).isEqualTo(409);
            assertThat(again.body()).contains("endpoint 'ep9' is already in the fleet (ready");

            String loadBody = harness.get(harness.adminUrl("/admin/pools/test/load")).body();
            JsonNode load = JSON.readTree(loadBody);
            assertThat(load.path("pool").asText()).isEqualTo("test");
            assertThat(load.path("models").toString()).isEqualTo("[\"" + MODEL + "\"]");
            assertThat(load.path("queued").asInt()).isZero();
            assertThat(load.path("completed_requests").asLong()).isEqualTo(16);
            assertThat(load.path("endpoints").findValuesAsText("id")).containsExactly("ep0", "ep9");
            assertThat(load.path("endpoints").get(1).path("in_flight").asInt()).isZero();

            // what an autoscaler in its own process reads: the same record the gateway wrote
            PoolLoad read = JSON.readValue(loadBody, PoolLoad.class);
            assertThat(read.completedRequests()).isEqualTo(16);
            assertThat(read.endpoints()).extracting(entry -> entry.endpoint().id()).containsExactly("ep0", "ep9");
            assertThat(read.endpoints().get(1).endpoint().capacity()).isEqualTo(CapacityKind.PREEMPTIBLE);
            assertThat(read.endpoints().get(1).load().lifecycle()).isEqualTo(Lifecycle.READY);
        }
    }

    @Test
    void anEndpointThatJoinsIsScrapedAtOnceNotAScrapeIntervalLater() throws Exception {
        // until its first scrape the scheduler ranks a new node on neutral figures, behind busy known ones
        try (GatewayHarness harness = GatewayHarness.builder().emulators(1).scrapeIntervalMillis(30_000).start()) {
            EmulatorServer extra = EmulatorServer.start(EmulatorOptions.builder().host("127.0.0.1").port(0).speed(20)
                    .models(List.of(MODEL)).build());
            harness.emulators.add(extra);

            HttpResponse<String> added = send(harness, "POST", "/admin/endpoints",
                    "{\"pool\": \"test\", \"id\": \"ep9\", \"url\": \"" + extra.url() + "\"}");

            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            // one answer read for both checks: two reads of /admin/endpoints are two snapshots of the fleet
            AtomicReference<JsonNode> ep9 = new AtomicReference<>();
            awaitTrue(() -> {
                ep9.set(harness.endpoint(1));
                return !ep9.get().path("load").path("stale").asBoolean(true);
            }, () -> "ep9 scraped within 10 s, not only 30 s later: " + ep9.get());
            assertThat(ep9.get().path("load").path("waiting").asInt(-1)).as(ep9.get().toString()).isZero();
        }
    }

    @Test
    void anEndpointDeletedUnderLoadFinishesItsStreamThenLeavesAndMayComeBack() throws Exception {
        // ep1 runs at real speed so that its stream is still going when the delete comes
        try (GatewayHarness harness = GatewayHarness.builder().emulator(o -> o).emulator(o -> o.speed(1)).start()) {
            HttpResponse<InputStream> stream = GatewayHarness.streamOn(harness.http, harness.url("/v1/chat/completions"), "ep1");

            HttpResponse<String> deleted = send(harness, "DELETE", "/admin/endpoints/ep1", null);

            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
            JsonNode answer = JSON.readTree(deleted.body());
            assertThat(answer.path("lifecycle").asText()).isEqualTo("draining");
            assertThat(answer.path("in_flight").asInt()).isEqualTo(1);
            assertThat(harness.post("/v1/chat/completions", chat("hi", 2, false)).headers()
                    .firstValue("x-infergate-endpoint")).hasValue("ep0");
            HttpResponse<String> undrained = send(harness, "POST", "/admin/endpoints/ep1/undrain", "");
            assertThat(undrained.statusCode()).as("a leaving endpoint cannot be undrained").isEqualTo(409);
            assertThat(undrained.body()).contains("endpoint_leaving", "'ep1' is leaving the fleet");
            String body;
            try (InputStream in = stream.body()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(body).endsWith("data: [DONE]\n\n");
            awaitTrue(() -> endpointIds(harness).equals(List.of("ep0")), "ep1 removed once idle");
            assertThat(send(harness, "DELETE", "/admin/endpoints/ep1", null).statusCode()).isEqualTo(404);

            // another endpoint under the removed one's id is refused, as not the same as a repeated add
            HttpResponse<String> other = send(harness, "POST", "/admin/endpoints",
                    "{\"pool\": \"test\", \"id\": \"ep1\", \"url\": \"http://127.0.0.1:1\"}");
            assertThat(other.statusCode()).as(other.body()).isEqualTo(409);
            assertThat(other.body()).contains("endpoint_id_taken", "left the fleet with other settings");

            // the same endpoint, with the same settings, comes back in its old slot
            HttpResponse<String> back = send(harness, "POST", "/admin/endpoints",
                    "{\"pool\": \"test\", \"id\": \"ep1\", \"url\": \"" + harness.emulators.get(1).url() + "\"}");
            assertThat(back.statusCode()).as(back.body()).isEqualTo(201);
            assertThat(harness.gateway.fleet().snapshot().slotOf("ep1")).isEqualTo(1);
            assertThat(harness.gateway.fleet().snapshot().size()).isEqualTo(2);
        }
    }

    @Test
    void badBodiesAreRejectedNamingTheFieldAndUnknownIdsAreNotFound() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(1).start()) {
            assertThat(error(harness, "{\"pool\": \"test\", \"id\": \"x\", \"url\": \"http://127.0.0.1:1\","
                    + " \"price_per_hour\": -1}"))
                    .isEqualTo("request body:1:76: price_per_hour: expected a number >= 0, found -1");
            assertThat(error(harness, "{\"pool\": \"tset\", \"url\": \"http://127.0.0.1:1\"}"))
                    .isEqualTo("request body:1:10: pool: expected one of the pools test, found 'tset'; did you mean 'test'?");
            assertThat(error(harness, "{\"pool\": \"test\", \"url\": \"http://127.0.0.1:1\", \"capacty\": \"preemptible\"}"))
                    .startsWith("request body:1:47: capacty: unknown key; did you mean 'capacity'?");
            assertThat(error(harness, "{\"url\": \"ftp://x\"}")).isEqualTo("request body:1:1: pool: required field is missing;"
                    + " request body:1:9: url: expected an http:// or https:// URL, found 'ftp://x'");
            assertThat(error(harness, "{\"pool\": \"test\", \"url\": \"http://${HOME}:1\"}")).contains("url: ");

            assertThat(send(harness, "DELETE", "/admin/endpoints/nope", null).statusCode()).isEqualTo(404);
            assertThat(harness.get(harness.adminUrl("/admin/pools/nope/load")).statusCode()).isEqualTo(404);
            assertThat(harness.gateway.fleet().snapshot().size()).isEqualTo(1);
        }
    }

    @Test
    void anOversizedBodyIsA413AsSoonAsItIsKnownAndTheConnectionCloses() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(1).start()) {
            for (String path : List.of("/admin/endpoints", "/admin/keys")) {
                String head = "POST " + path + " HTTP/1.1\r\nHost: admin\r\nContent-Type: application/json\r\n";
                try (RawHttp raw = new RawHttp(harness.gateway.adminPort(), Duration.ofSeconds(5))) {
                    // 1 MiB declared and not a byte of it sent: the head alone is enough to refuse it
                    String answer = raw.send(head + "Content-Length: " + (1 << 20) + "\r\n\r\n").readAll();

                    assertThat(answer).as(path).startsWith("HTTP/1.1 413").contains("limit of 65536 bytes");
                    assertThat(raw.closedByServer()).isTrue();
                }
                try (RawHttp raw = new RawHttp(harness.gateway.adminPort(), Duration.ofSeconds(5))) {
                    // chunked, 80 KiB and never ended: refused once past the limit, not buffered to the end
                    raw.send(head + "Transfer-Encoding: chunked\r\n\r\n");
                    String chunk = Integer.toHexString(16 * 1024) + "\r\n" + "x".repeat(16 * 1024) + "\r\n";
                    String answer = raw.send(chunk.repeat(5)).readAll();

                    assertThat(answer).as(path).startsWith("HTTP/1.1 413").contains("limit of 65536 bytes");
                    assertThat(raw.closedByServer()).isTrue();
                }
            }
        }
    }

    @Test
    void aBodyThatFailsToReadIsAnsweredAndTheConnectionCloses() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(1).start()) {
            try (RawHttp raw = new RawHttp(harness.gateway.adminPort(), Duration.ofSeconds(5))) {
                String answer = raw.send("POST /admin/endpoints HTTP/1.1\r\nHost: admin\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n2\r\n{\"\r\nzz\r\n").readAll();

                assertThat(answer).startsWith("HTTP/1.1 400").contains("could not read the request body");
                assertThat(raw.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void membershipRoutesNeedTheAdminToken() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(1)
                .topLevel("admin: {token: an-admin-token-long-enough}\n").start()) {
            assertThat(send(harness, "POST", "/admin/endpoints", "{\"pool\": \"test\", \"url\": \"http://127.0.0.1:1\"}")
                    .statusCode()).isEqualTo(401);
            assertThat(send(harness, "DELETE", "/admin/endpoints/ep0", null).statusCode()).isEqualTo(401);
            assertThat(harness.get(harness.adminUrl("/admin/pools/test/load")).statusCode()).isEqualTo(401);
            assertThat(harness.gateway.fleet().snapshot().load(0).lifecycle().name()).isEqualTo("READY");
        }
    }

    /** The message of the 400 a {@code POST /admin/endpoints} of {@code body} answers. */
    private static String error(GatewayHarness harness, String body) throws Exception {
        HttpResponse<String> response = send(harness, "POST", "/admin/endpoints", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        return JSON.readTree(response.body()).path("error").path("message").asText();
    }

    static HttpResponse<String> send(GatewayHarness harness, String method, String path, String body) throws Exception {
        return harness.http.send(HttpRequest.newBuilder(harness.adminUrl(path)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> endpointIds(GatewayHarness harness) {
        try {
            return JSON.readTree(harness.get(harness.adminUrl("/admin/endpoints")).body())
                    .findValuesAsText("id");
        } catch (Exception e) {
            throw new IllegalStateException("could not read /admin/endpoints: " + e.getMessage(), e);
        }
    }

}
