package io.infergate.gateway;

import com.sun.net.httpserver.HttpServer;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.scale.PoolReading;
import io.infergate.gateway.scale.RemoteScalingTarget;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.infergate.gateway.GatewayHarness.MODEL;
import static io.infergate.gateway.MembershipApiTest.send;
import static io.infergate.gateway.ResilienceTest.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An autoscaler in its own process in front of two gateways, one of which misses an add and then a drain
 * (as a gateway down at the time, or restarted since, would): the next reading catches it up.
 */
class RemoteScalingTargetTest {

    @Test
    void aGatewayThatMissedAnAddOrADrainIsCaughtUpByTheNextReading() throws Exception {
        try (GatewayHarness a = GatewayHarness.builder().emulators(1).start();
             GatewayHarness b = GatewayHarness.builder().emulators(1).start();
             RemoteScalingTarget gateways = new RemoteScalingTarget(List.of(a.adminUrl(""), b.adminUrl("")),
                     Optional.empty(), Duration.ofSeconds(5))) {
            Endpoint node = Endpoint.builder("auto-1", a.emulators.getFirst().url()).pool("test").serverType("vllm")
                    .models(Set.of(MODEL)).build();
            String body = "{\"pool\": \"test\", \"id\": \"auto-1\", \"url\": \"" + node.url() + "\"}";

            // an add reaches both; b then loses it, as a restarted gateway would
            gateways.add(node);
            assertThat(lifecycle(a, "auto-1")).isEqualTo(Lifecycle.READY);
            assertThat(send(b, "DELETE", "/admin/endpoints/auto-1", null).statusCode()).isEqualTo(202);
            awaitTrue(() -> lifecycle(b, "auto-1") == Lifecycle.REMOVED, "auto-1 gone from b");

            gateways.read("test");

            assertThat(lifecycle(b, "auto-1")).as("b caught up with the add").isEqualTo(Lifecycle.READY);

            // a drain reaches both; b then gets it back, as if it had missed the drain
            gateways.drain("auto-1");
            awaitTrue(() -> lifecycle(a, "auto-1") == Lifecycle.REMOVED && lifecycle(b, "auto-1") == Lifecycle.REMOVED,
                    "auto-1 drained and removed on both");
            assertThat(send(b, "POST", "/admin/endpoints", body).statusCode()).isEqualTo(201);

            gateways.read("test");

            assertThat(lifecycle(b, "auto-1")).as("b caught up with the drain")
                    .isIn(Lifecycle.DRAINING, Lifecycle.REMOVED);
            assertThat(lifecycle(a, "auto-1")).as("a is not given it back").isEqualTo(Lifecycle.REMOVED);

            // once no gateway lists it, the drain is forgotten: an operator may add it again
            awaitTrue(() -> lifecycle(b, "auto-1") == Lifecycle.REMOVED, "auto-1 removed from b again");
            gateways.read("test");
            assertThat(send(b, "POST", "/admin/endpoints", body).statusCode()).isEqualTo(201);
            gateways.read("test");
            assertThat(lifecycle(b, "auto-1")).isEqualTo(Lifecycle.READY);
        }
    }

    @Test
    void aGatewayAnsweringWithSomethingElseIsLeftOutOfTheReadingNotFatal() throws Exception {
        HttpServer notAGateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        notAGateway.createContext("/", exchange -> {
            byte[] page = "<html>maintenance</html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        notAGateway.start();
        try (GatewayHarness gateway = GatewayHarness.builder().emulators(1).start();
             RemoteScalingTarget gateways = new RemoteScalingTarget(List.of(gateway.adminUrl(""),
                     URI.create("http://127.0.0.1:" + notAGateway.getAddress().getPort())), Optional.empty(),
                     Duration.ofSeconds(5))) {
            PoolReading reading = gateways.read("test");

            assertThat(reading.fleet().slotOf("ep0")).isZero();
            assertThat(reading.unanswered()).singleElement().asString()
                    .startsWith("http://127.0.0.1:" + notAGateway.getAddress().getPort() + " (unreadable answer");
        } finally {
            notAGateway.stop(0);
        }
    }

    @Test
    void aNewerGatewaysExtraFieldsAreIgnoredButAnAnswerMissingOneIsLeftOut() throws Exception {
        HttpServer newer = answering("{\"pool\":\"test\",\"models\":[\"m\"],\"queued\":2,\"completed_requests\":5,"
                + "\"endpoints\":[],\"added_later\":{\"any\":1}}");
        HttpServer incomplete = answering("{\"pool\":\"test\",\"models\":[\"m\"],\"queued\":3}");
        try (RemoteScalingTarget gateways = new RemoteScalingTarget(List.of(address(newer), address(incomplete)),
                Optional.empty(), Duration.ofSeconds(5))) {
            PoolReading reading = gateways.read("test");

            assertThat(reading.queued()).isEqualTo(2);
            assertThat(reading.unanswered()).singleElement().asString()
                    .startsWith(address(incomplete) + " (unreadable answer");
        } finally {
            newer.stop(0);
            incomplete.stop(0);
        }
    }

    /** A stand-in gateway whose admin API answers every request with {@code body}. */
    private static HttpServer answering(String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static URI address(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The endpoint's lifecycle on the harness's gateway; REMOVED when it has never been there. */
    private static Lifecycle lifecycle(GatewayHarness harness, String id) {
        FleetSnapshot fleet = harness.gateway.fleet().snapshot();
        int slot = fleet.slotOf(id);
        return slot < 0 ? Lifecycle.REMOVED : fleet.load(slot).lifecycle();
    }
}
