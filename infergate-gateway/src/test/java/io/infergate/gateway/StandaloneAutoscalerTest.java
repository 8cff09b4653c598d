package io.infergate.gateway;

import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.scale.Decision;
import io.infergate.core.scale.ScaleAction;
import io.infergate.core.scale.ScaleReason;
import io.infergate.gateway.config.ConfigLoader;
import io.infergate.gateway.config.GatewayConfig;
import io.infergate.gateway.scale.StandaloneAutoscaler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static io.infergate.gateway.GatewayHarness.chat;
import static io.infergate.gateway.ResilienceTest.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The autoscaler in its own process (here: in-process, its own classes) scaling a gateway through its
 * admin API: under load it adds an emulated node the gateway routes to; with the load gone it releases
 * it and the gateway removes it. With no gateway answering it holds.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StandaloneAutoscalerTest {

    /**
     * Two dedicated endpoints and room for one preemptible node, which is the only one a release may take; a
     * band a third node can bring two busy ones into (two at 100 % are three at 67 %).
     */
    private static final String AUTOSCALER = """
            admin: {token: an-admin-token-long-enough}
            autoscaler:
              pool: test
              run_in: external
              provider: {type: emulated, speed: 1000, startup_min_ms: 1000, startup_max_ms: 1000}
              min_nodes: 2
              max_nodes: 3
              hybrid: {dedicated_min: 2, preemptible_max: 1}
              max_num_seqs: 4
              target_utilisation: {low: 50, high: 70}
              utilisation_window_ms: 0
              scale_up_cooldown_ms: 0
              scale_down_cooldown_ms: 1000
              interval_ms: 50
            """;
    private static final String TOKEN = "an-admin-token-long-enough";

    @Test
    void underLoadItAddsANodeTheGatewayRoutesToAndReleasesItWhenTheLoadIsGone() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(2).topLevel(AUTOSCALER).start();
             StandaloneAutoscaler autoscaler = StandaloneAutoscaler.start(harness.config,
                     List.of(harness.adminUrl("")), Optional.of(TOKEN), 0)) {
            assertThat(harness.gateway.autoscaler()).as("run_in: external: the gateway runs none").isEmpty();

            // given more long requests than the two nodes' batches hold
            AtomicBoolean loading = new AtomicBoolean(true);
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            List<String> servedBy = Collections.synchronizedList(new ArrayList<>());
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 12; i++) {
                    clients.add(CompletableFuture.runAsync(() -> {
                        while (loading.get()) {
                            servedBy.add(send(harness, chat("a long story", 400, false)));
                        }
                    }, threads));
                }

                // then a node joins the gateway's fleet and serves; its id tells it from an earlier process's nodes
                awaitFleet(harness, fleet -> addedNode(fleet) >= 0);
                FleetSnapshot joined = harness.gateway.fleet().snapshot();
                String node = joined.endpoint(addedNode(joined)).id();
                assertThat(node).matches("test-auto-[0-9a-z]+-1");
                awaitTrue(() -> servedBy.contains(node), "a request served by " + node);
                loading.set(false);
                clients.forEach(CompletableFuture::join);
            }

            // and once the load is gone it is released, drained and removed from the gateway
            awaitFleet(harness, fleet -> fleet.load(addedNode(fleet)).lifecycle() == Lifecycle.REMOVED);
            assertThat(harness.gateway.fleet().snapshot().load(0).lifecycle()).isEqualTo(Lifecycle.READY);
            assertThat(harness.gateway.fleet().snapshot().load(1).lifecycle()).isEqualTo(Lifecycle.READY);
            String view = get(autoscaler, "/admin/autoscaler").body();
            assertThat(view).contains("\"pool\":\"test\"", "\"action\":\"add\"", "\"reason\":\"utilisation_above_band\"",
                    "\"action\":\"release\"");
            assertThat(get(autoscaler, "/metrics").body()).contains(
                    "infergate_autoscaler_decisions_total{action=\"add\",pool=\"test\",reason=\"utilisation_above_band\"}");
        }
    }

    @Test
    void withNoGatewayAnsweringItHolds() throws Exception {
        GatewayConfig config = ConfigLoader.parse("""
                pools:
                  - {name: test, models: [m], endpoints: [{url: "http://127.0.0.1:1"}]}
                """ + AUTOSCALER, "external.yaml");
        try (StandaloneAutoscaler autoscaler = StandaloneAutoscaler.start(config,
                List.of(URI.create("http://127.0.0.1:1")), Optional.empty(), 0)) {
            Decision decision = autoscaler.autoscaler().evaluate();

            assertThat(decision.action()).isEqualTo(ScaleAction.HOLD);
            assertThat(decision.reason()).isEqualTo(ScaleReason.NO_DATA);
            assertThat(decision.detail()).startsWith("no gateway answered: http://127.0.0.1:1 (ConnectException");
            assertThat(get(autoscaler, "/admin/autoscaler", Optional.empty()).statusCode()).isEqualTo(401);
            assertThat(get(autoscaler, "/admin/autoscaler").body()).contains("\"reason\":\"no_data\"");
        }
    }

    @Test
    void anAutoscalerTheGatewayRunsItselfIsRefused() throws Exception {
        GatewayConfig config = ConfigLoader.parse("""
                pools:
                  - {name: test, models: [m], endpoints: [{url: "http://127.0.0.1:1"}]}
                autoscaler: {pool: test, provider: {type: emulated}}
                """, "internal.yaml");

        assertThatThrownBy(() -> StandaloneAutoscaler.start(config, List.of(URI.create("http://127.0.0.1:1")),
                Optional.empty(), 0)).hasMessageStartingWith("autoscaler.run_in: expected external");
    }

    private static String send(GatewayHarness harness, String body) {
        try {
            return harness.post("/v1/chat/completions", body).headers().firstValue("x-infergate-endpoint").orElse("none");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** GET {@code path} on the autoscaler's own listener, with the admin token. */
    private static HttpResponse<String> get(StandaloneAutoscaler autoscaler, String path) throws Exception {
        return get(autoscaler, path, Optional.of(TOKEN));
    }

    private static HttpResponse<String> get(StandaloneAutoscaler autoscaler, String path, Optional<String> token)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + autoscaler.port() + path))
                .timeout(Duration.ofSeconds(10));
        token.ifPresent(t -> request.header("authorization", "Bearer " + t));
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The slot of the node the autoscaler added, or -1. */
    private static int addedNode(FleetSnapshot fleet) {
        for (int slot = 0; slot < fleet.size(); slot++) {
            if (fleet.endpoint(slot).id().startsWith("test-auto-")) {
                return slot;
            }
        }
        return -1;
    }

    private static void awaitFleet(GatewayHarness harness, Predicate<FleetSnapshot> condition)
            throws InterruptedException {
        awaitTrue(() -> condition.test(harness.gateway.fleet().snapshot()), () -> "fleet state, now "
                + harness.gateway.fleet().snapshot().endpoints());
    }
}
